using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Server.Engine;

/// <summary>
/// Answers late and repeated results for finished trials, so a trial is never counted twice: the first result of an
/// attempt wins, a repeat is DUPLICATE, a result for an older attempt or for a trial closed without a result is EXPIRED.
/// Recently finished trials are answered from memory; older ones from the store (see <see cref="StudyRuntime"/>).
/// </summary>
internal sealed class TellLedger
{
    /// <summary>Finished trials remembered in memory; older ones are read back from the store.</summary>
    public const int Capacity = 1 << 16;

    private readonly Dictionary<long, (int Attempt, bool Reported)> _finished = [];
    private readonly Queue<long> _order = new();

    public void Remember(long number, int attempt, bool reportedByWorker)
    {
        _finished[number] = (attempt, reportedByWorker);
        _order.Enqueue(number);
        if (_order.Count > Capacity)
        {
            _finished.Remove(_order.Dequeue());
        }
    }

    public bool TryAnswer(in ReportedOutcome reported, out TellResult answer)
    {
        if (_finished.TryGetValue(reported.TrialNumber, out var finished))
        {
            answer = Answer(reported, finished.Attempt, finished.Reported);
            return true;
        }

        answer = default;
        return false;
    }

    /// <summary>The answer to a result for a trial that already finished on <paramref name="finishedAttempt"/>.</summary>
    public static TellResult Answer(in ReportedOutcome reported, int finishedAttempt, bool reportedByWorker) =>
        !reportedByWorker
            ? new TellResult(TellStatus.Expired, null, $"trial {reported.TrialNumber} was closed without a result (its lease expired too often, or the study stopped); this result was ignored")
            : reported.Attempt == finishedAttempt
            ? new TellResult(TellStatus.Duplicate, null, $"trial {reported.TrialNumber} attempt {reported.Attempt} already has a result; this one was ignored")
            : new TellResult(TellStatus.Expired, null, $"attempt {reported.Attempt} of trial {reported.TrialNumber} expired; the trial finished on attempt {finishedAttempt}");
}
