using OptimizerGrpc.Core.Studies;
using OptimizerGrpc.Server.Engine;
using static OptimizerGrpc.Server.Tests.Engine.EngineHarness;

namespace OptimizerGrpc.Server.Tests.Engine;

public sealed class TellLedgerTests
{
    [Fact]
    public void TryAnswer_SameAttemptReportedByWorker_IsDuplicate()
    {
        var ledger = new TellLedger();
        ledger.Remember(7, attempt: 2, reportedByWorker: true);

        Assert.True(ledger.TryAnswer(Reported(7, attempt: 2), out var answer));

        Assert.Equal(new TellResult(TellStatus.Duplicate, null, "trial 7 attempt 2 already has a result; this one was ignored"), answer);
    }

    [Fact]
    public void TryAnswer_OlderAttempt_IsExpiredNamingTheFinishingAttempt()
    {
        var ledger = new TellLedger();
        ledger.Remember(7, attempt: 2, reportedByWorker: true);

        Assert.True(ledger.TryAnswer(Reported(7, attempt: 1), out var answer));

        Assert.Equal(new TellResult(TellStatus.Expired, null, "attempt 1 of trial 7 expired; the trial finished on attempt 2"), answer);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void TryAnswer_ClosedWithoutResult_IsExpiredForEveryAttempt(int attempt)
    {
        var ledger = new TellLedger();
        ledger.Remember(7, attempt: 3, reportedByWorker: false);

        Assert.True(ledger.TryAnswer(Reported(7, attempt), out var answer));

        Assert.Equal(TellStatus.Expired, answer.Status);
        Assert.Equal("trial 7 was closed without a result (its lease expired too often, or the study stopped); this result was ignored", answer.Message);
        Assert.False(answer.IsNotFound);
    }

    [Fact]
    public void TryAnswer_NotRemembered_ReturnsFalse()
    {
        var ledger = new TellLedger();
        ledger.Remember(7, attempt: 1, reportedByWorker: true);

        Assert.False(ledger.TryAnswer(Reported(8, attempt: 1), out var answer));
        Assert.Equal(default, answer);
    }

    [Fact]
    public void Remember_PastCapacity_ForgetsTheOldestOnly()
    {
        var ledger = new TellLedger();
        for (long number = 0; number <= TellLedger.Capacity; number++)
        {
            ledger.Remember(number, attempt: 1, reportedByWorker: true);
        }

        Assert.Equal(65536, TellLedger.Capacity);
        Assert.False(ledger.TryAnswer(Reported(0, 1), out _));
        Assert.True(ledger.TryAnswer(Reported(1, 1), out var oldestKept));
        Assert.True(ledger.TryAnswer(Reported(TellLedger.Capacity, 1), out var newest));
        Assert.Equal((TellStatus.Duplicate, TellStatus.Duplicate), (oldestKept.Status, newest.Status));
    }

    private static ReportedOutcome Reported(long number, int attempt) => new(number, attempt, Scored(1.0), "w1");
}
