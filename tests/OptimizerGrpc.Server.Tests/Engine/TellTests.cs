using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Studies;
using static OptimizerGrpc.Server.Tests.Engine.EngineHarness;

namespace OptimizerGrpc.Server.Tests.Engine;

public sealed class TellTests
{
    private static StudyPlan RandomPlan(int maxAttempts = StudyPlan.DefaultMaxAttempts) =>
        Plan(new RandomSettings(), 10, [Float("t.x", 0, 1)], maxAttempts: maxAttempts);

    [Fact]
    public async Task Tell_FirstResult_IsAcceptedAndRecorded()
    {
        await using var h = await CreateAsync();
        var study = await h.CreateStudyAsync(RandomPlan());
        var trial = Assert.Single(await study.LeaseAsync("w1", 1));
        h.Clock.Advance(TimeSpan.FromSeconds(3));

        var answer = await study.TellScoreAsync(trial, 1.5);

        Assert.Equal(TellStatus.Accepted, answer.Status);
        Assert.Equal("", answer.Message);
        var stored = await h.ReadTrialAsync(study, 0);
        Assert.Equal(TrialState.Completed, stored.State);
        Assert.Equal([1.5], stored.ObjectiveValues);
        Assert.Equal(1.5, stored.Values[Objective]);
        Assert.False(stored.ClosedWithoutResult);
        Assert.Equal(Epoch.AddSeconds(3), stored.EndTime);
        Assert.Null(stored.LeaseExpireTime);
        Assert.Equal((TrialState.Completed, stored.Sequence), (answer.Trial!.State, answer.Trial.Sequence));
        Assert.Equal(0, study.View().Best!.Number);
        Assert.Equal((0, 0, 1, 0, 0, 0), study.CountsOf());
    }

    [Fact]
    public async Task Tell_SameAttemptAgain_IsDuplicateAndNotCounted()
    {
        await using var h = await CreateAsync();
        var study = await h.CreateStudyAsync(RandomPlan());
        var trial = Assert.Single(await study.LeaseAsync("w1", 1));
        await study.TellScoreAsync(trial, 1.5);

        var answer = await study.TellScoreAsync(trial, 9.0);

        Assert.Equal(TellStatus.Duplicate, answer.Status);
        Assert.Equal("trial 0 attempt 1 already has a result; this one was ignored", answer.Message);
        Assert.Equal([1.5], (await h.ReadTrialAsync(study, 0)).ObjectiveValues);
        Assert.Equal((0, 0, 1, 0, 0, 0), study.CountsOf());
    }

    [Fact]
    public async Task Tell_SameAttemptTwiceInOneCall_AcceptsOnlyTheFirst()
    {
        await using var h = await CreateAsync();
        var study = await h.CreateStudyAsync(RandomPlan());
        var trial = Assert.Single(await study.LeaseAsync("w1", 1));

        var answers = await study.TellAsync(Result(trial, 1.0), Result(trial, 2.0));

        Assert.Equal([TellStatus.Accepted, TellStatus.Duplicate], answers.Select(a => a.Status));
        Assert.Equal((0, 0, 1, 0, 0, 0), study.CountsOf());
    }

    [Fact]
    public async Task Tell_OlderAttemptWhileRequeued_IsExpired()
    {
        await using var h = await CreateAsync();
        var study = await h.CreateStudyAsync(RandomPlan());
        var first = Assert.Single(await study.LeaseAsync("w1", 1));
        h.Clock.Advance(Lease);
        await study.ExpireLeases();
        await study.LeaseAsync("w2", 1);

        var answer = await study.TellScoreAsync(first, 1.0);

        Assert.Equal(TellStatus.Expired, answer.Status);
        Assert.Equal("attempt 1 of trial 0 expired; the trial is on attempt 2", answer.Message);
        Assert.Equal((0, 1, 0, 0, 0, 0), study.CountsOf());
    }

    [Fact]
    public async Task Tell_OlderAttemptAfterTheTrialFinished_IsExpired()
    {
        await using var h = await CreateAsync();
        var study = await h.CreateStudyAsync(RandomPlan());
        var first = Assert.Single(await study.LeaseAsync("w1", 1));
        h.Clock.Advance(Lease);
        await study.ExpireLeases();
        var second = Assert.Single(await study.LeaseAsync("w2", 1));
        await study.TellScoreAsync(second, 2.0);

        var answer = await study.TellScoreAsync(first, 1.0);

        Assert.Equal(TellStatus.Expired, answer.Status);
        Assert.Equal("attempt 1 of trial 0 expired; the trial finished on attempt 2", answer.Message);
        Assert.Equal([2.0], (await h.ReadTrialAsync(study, 0)).ObjectiveValues);
        Assert.Equal((0, 0, 1, 0, 0, 0), study.CountsOf());
    }

    [Fact]
    public async Task Tell_LaterAttemptThanRunning_IsRejected()
    {
        await using var h = await CreateAsync();
        var study = await h.CreateStudyAsync(RandomPlan());
        var trial = Assert.Single(await study.LeaseAsync("w1", 1));

        var answer = (await study.TellAsync(new ReportedOutcome(0, 2, Scored(1.0), "w1")))[0];

        Assert.Equal(TellStatus.Rejected, answer.Status);
        Assert.False(answer.IsNotFound);
        Assert.Equal("trial 0 has no running attempt 2 (state Running, attempt 1)", answer.Message);
        Assert.Equal(TellStatus.Accepted, (await study.TellScoreAsync(trial, 1.0)).Status);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(99)]
    [InlineData(-1)]
    public async Task Tell_UnknownNumber_IsNotFound(long number)
    {
        await using var h = await CreateAsync();
        var study = await h.CreateStudyAsync(RandomPlan());
        await study.LeaseAsync("w1", 1);

        var answer = (await study.TellAsync(new ReportedOutcome(number, 1, Scored(1.0), "w1")))[0];

        Assert.Equal(TellStatus.Rejected, answer.Status);
        Assert.True(answer.IsNotFound);
        Assert.Equal($"study 's1' has no trial {number}", answer.Message);
        Assert.Equal((0, 1, 0, 0, 0, 0), study.CountsOf());
    }

    [Fact]
    public async Task Tell_TrialClosedWithoutResult_IsExpired()
    {
        await using var h = await CreateAsync();
        var study = await h.CreateStudyAsync(RandomPlan(maxAttempts: 1));
        var trial = Assert.Single(await study.LeaseAsync("w1", 1));
        h.Clock.Advance(Lease);
        await study.ExpireLeases();

        var answer = await study.TellScoreAsync(trial, 1.0);

        Assert.Equal(TellStatus.Expired, answer.Status);
        Assert.Equal("trial 0 was closed without a result (its lease expired too often, or the study stopped); this result was ignored", answer.Message);
        Assert.Equal(TrialState.Failed, (await h.ReadTrialAsync(study, 0)).State);
        Assert.Equal((0, 0, 0, 0, 1, 0), study.CountsOf());
    }

    [Fact]
    public async Task Tell_ClientError_FailsTheTrialWithItsMessage()
    {
        await using var h = await CreateAsync();
        var study = await h.CreateStudyAsync(RandomPlan());
        var trial = Assert.Single(await study.LeaseAsync("w1", 1));

        var answer = (await study.TellAsync(new ReportedOutcome(trial.Number, 1, Errored("no data"), "w1")))[0];

        Assert.Equal(TellStatus.Accepted, answer.Status);
        var stored = await h.ReadTrialAsync(study, 0);
        Assert.Equal((TrialState.Failed, "client error: no data", false), (stored.State, stored.Reason, stored.ClosedWithoutResult));
        Assert.Null(study.View().Best);
        Assert.Equal((0, 0, 0, 0, 1, 0), study.CountsOf());
    }

    [Fact]
    public async Task Tell_FinishedBeforeARestore_IsAnsweredFromTheStore()
    {
        await using var h = await CreateAsync();
        var plan = RandomPlan(maxAttempts: 1);
        var study = await h.CreateStudyAsync(plan);
        var trials = await study.LeaseAsync("w1", 2);
        await study.TellScoreAsync(trials[0], 1.0);
        h.Clock.Advance(Lease);
        await study.ExpireLeases();
        await study.ReleaseReservedNumbers();

        // A restored study's ledger is empty: both answers come from the stored trials.
        var restored = await h.RestoreAsync("s1", plan);
        var answers = await restored.TellAsync(Result(trials[0], 5.0), Result(trials[1], 5.0), new ReportedOutcome(2, 1, Scored(5.0), "w1"));

        Assert.Equal([TellStatus.Duplicate, TellStatus.Expired, TellStatus.Rejected], answers.Select(a => a.Status));
        Assert.Equal("trial 0 attempt 1 already has a result; this one was ignored", answers[0].Message);
        Assert.StartsWith("trial 1 was closed without a result", answers[1].Message, StringComparison.Ordinal);
        Assert.True(answers[2].IsNotFound);
        Assert.Equal((0, 0, 1, 0, 1, 0), restored.CountsOf());
    }
}
