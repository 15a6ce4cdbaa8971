using Microsoft.Extensions.Logging;

namespace OptimizerGrpc.Client;

/// <summary>
/// Worker log messages with event ids. LoggerMessage.Define rather than [LoggerMessage] because the source
/// generator would need a direct package reference, and this gives the same allocation-free logging.
/// </summary>
internal static class WorkerLog
{
    private static readonly Action<ILogger, string, int, Exception?> ConnectedMessage =
        LoggerMessage.Define<string, int>(LogLevel.Information, new EventId(1, "Connected"), "Worker {WorkerId} connected with capacity {Capacity}");

    private static readonly Action<ILogger, double, Exception?> StreamDroppedMessage =
        LoggerMessage.Define<double>(LogLevel.Warning, new EventId(2, "StreamDropped"), "Work stream dropped; reconnecting in {DelayMs} ms");

    private static readonly Action<ILogger, string, Exception?> EvaluationFailedMessage =
        LoggerMessage.Define<string>(LogLevel.Warning, new EventId(3, "EvaluationFailed"), "Evaluation of trial {Trial} threw; reporting it as FAILED");

    private static readonly Action<ILogger, string, string, string, Exception?> ResultNotAcceptedMessage =
        LoggerMessage.Define<string, string, string>(LogLevel.Warning, new EventId(4, "ResultNotAccepted"), "Result for trial {Trial} was {Status}: {Message}");

    private static readonly Action<ILogger, string, string, Exception?> StudyDoneMessage =
        LoggerMessage.Define<string, string>(LogLevel.Information, new EventId(5, "StudyDone"), "Study {StudyId} is done ({State})");

    private static readonly Action<ILogger, string, Exception?> DuplicateAssignmentMessage =
        LoggerMessage.Define<string>(LogLevel.Debug, new EventId(6, "DuplicateAssignment"), "Trial {Trial} is already being evaluated; assignment ignored");

    public static void Connected(ILogger logger, string workerId, int capacity) => ConnectedMessage(logger, workerId, capacity, null);

    public static void StreamDropped(ILogger logger, TimeSpan delay, Exception? error) => StreamDroppedMessage(logger, delay.TotalMilliseconds, error);

    public static void EvaluationFailed(ILogger logger, TrialRef trial, Exception error) => EvaluationFailedMessage(logger, trial.ToString(), error);

    public static void ResultNotAccepted(ILogger logger, TrialRef trial, TellStatus status, string message) =>
        ResultNotAcceptedMessage(logger, trial.ToString(), status.ToString(), message, null);

    public static void StudyDone(ILogger logger, string studyId, StudyState state) => StudyDoneMessage(logger, studyId, state.ToString(), null);

    public static void DuplicateAssignment(ILogger logger, TrialRef trial) => DuplicateAssignmentMessage(logger, trial.ToString(), null);
}
