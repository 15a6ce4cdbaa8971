using OptimizerGrpc.Core.Metrics;
using static OptimizerGrpc.Core.Studies.UserText;

namespace OptimizerGrpc.Core.Studies;

/// <summary>An error the client reported instead of a result: the exception's type (may be empty) and message.</summary>
public sealed record TrialError(string Type, string Message);

/// <summary>
/// What a worker reports for a trial: values it computed, and/or a backtest record from which the server computes
/// metrics (<see cref="RecordStartBar"/> is the series bar of the record's first point), or an error, or "pruned".
/// </summary>
public sealed record TrialOutcome(
    IReadOnlyDictionary<string, double> Values,
    BacktestSeries? Record,
    long RecordStartBar,
    TrialError? Error,
    bool Pruned);

/// <summary>One reported outcome for a trial attempt, as the engine receives it (from TellTrial or the Work stream).</summary>
public readonly record struct ReportedOutcome(long TrialNumber, int Attempt, TrialOutcome Outcome, string WorkerId);

/// <summary>
/// What a tell did: its status, the trial as recorded, and a message for tells that were not accepted.
/// <paramref name="IsNotHolder"/> marks a result refused because the trial is leased to another worker.
/// </summary>
public readonly record struct TellResult(TellStatus Status, TrialRecord? Trial, string Message, bool IsNotFound = false, bool IsNotHolder = false)
{
    public static TellResult NotFound(string studyId, long number) =>
        new(TellStatus.Rejected, null, $"study {Quote(studyId)} has no trial {number}", IsNotFound: true);
}
