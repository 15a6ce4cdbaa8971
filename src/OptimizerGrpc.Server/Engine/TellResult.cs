using OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Server.Engine;

/// <summary>What a tell did: its status, the trial as recorded (a copy), and a message for non-accepted tells.</summary>
internal readonly record struct TellResult(TellStatus Status, Trial? Trial, string Message, bool IsNotFound = false)
{
    public static TellResult NotFound(string studyId, long number) =>
        new(TellStatus.Rejected, null, $"study '{studyId}' has no trial {number}", IsNotFound: true);
}

/// <summary>One reported outcome, as the engine receives it (from TellTrial or the Work stream).</summary>
internal readonly record struct ReportedOutcome(long TrialNumber, int Attempt, TrialOutcome Outcome, string WorkerId);
