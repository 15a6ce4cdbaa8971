using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Studies;
using OptimizerGrpc.Server.Engine;
using static OptimizerGrpc.Server.Tests.Engine.EngineHarness;

namespace OptimizerGrpc.Server.Tests.Engine;

public sealed class LeaseTests
{
    private static StudyPlan RandomPlan(long maxTrials = 10, int maxAttempts = StudyPlan.DefaultMaxAttempts) =>
        Plan(new RandomSettings(), maxTrials, [Float("t.x", 0, 1)], maxAttempts: maxAttempts);

    [Fact]
    public async Task Lease_RunningStudy_GivesRunningTrialsLeasedUntilNowPlusLease()
    {
        await using var h = await CreateAsync();
        var study = await h.CreateStudyAsync(RandomPlan());
        h.Clock.Advance(TimeSpan.FromSeconds(5));

        var trials = await study.LeaseAsync("w1", 2);

        Assert.Equal(2, trials.Count);
        Assert.All(trials, t =>
        {
            Assert.Equal(TrialState.Running, t.State);
            Assert.Equal("w1", t.WorkerId);
            Assert.Equal(1, t.Attempt);
            Assert.Equal(Epoch.AddSeconds(5), t.StartTime);
            Assert.Equal(Epoch.AddSeconds(35), t.LeaseExpireTime);
        });
        var stored = await h.ReadTrialAsync(study, 1);
        Assert.Equal(TrialState.Running, stored.State);
        Assert.Equal(Epoch.AddSeconds(35), stored.LeaseExpireTime);
        Assert.Equal((0, 2, 0, 0, 0, 0), study.CountsOf());
    }

    [Fact]
    public async Task Lease_WithOwnDuration_OverridesThePlansLease()
    {
        await using var h = await CreateAsync();
        var study = await h.CreateStudyAsync(RandomPlan());

        var trials = await study.LeaseAsync("w1", 1, TimeSpan.FromSeconds(90));

        Assert.Equal(Epoch.AddSeconds(90), Assert.Single(trials).LeaseExpireTime);
    }

    [Fact]
    public async Task ExpireLeases_BeforeExpiry_ChangesNothing()
    {
        await using var h = await CreateAsync();
        var study = await h.CreateStudyAsync(RandomPlan());
        await study.LeaseAsync("w1", 1);
        h.Clock.Advance(Lease - TimeSpan.FromMilliseconds(1));

        await study.ExpireLeases();

        var stored = await h.ReadTrialAsync(study, 0);
        Assert.Equal(TrialState.Running, stored.State);
        Assert.Equal(1, stored.Attempt);
        Assert.Equal((0, 1, 0, 0, 0, 0), study.CountsOf());
    }

    [Fact]
    public async Task ExpireLeases_AtExpiry_RequeuesWithNextAttemptAndPublishesIt()
    {
        await using var h = await CreateAsync();
        var study = await h.CreateStudyAsync(RandomPlan());
        await study.LeaseAsync("w1", 1);
        var watcher = h.Events.Subscribe("s1", includeTrials: false);
        h.Clock.Advance(Lease);

        await study.ExpireLeases();

        var stored = await h.ReadTrialAsync(study, 0);
        Assert.Equal(TrialState.Pending, stored.State);
        Assert.Equal(2, stored.Attempt);
        Assert.Equal("", stored.WorkerId);
        Assert.Null(stored.LeaseExpireTime);
        Assert.Null(stored.StartTime);
        Assert.True(watcher.Queue.Reader.TryRead(out var e));
        var requeued = Assert.IsType<TrialRequeuedEvent>(e);
        Assert.Equal((0L, 2, "w1"), (requeued.Number, requeued.Attempt, requeued.WorkerId));
        // Creation wrote 2 (state, stage start), the lease 1, the requeue the trial (4) then this event.
        Assert.Equal(5, requeued.Sequence);
        Assert.Equal(Epoch + Lease, requeued.Time);
        Assert.False(watcher.Queue.Reader.TryRead(out _));
        Assert.Equal((1, 0, 0, 0, 0, 0), study.CountsOf());
    }

    [Fact]
    public async Task ExpireLeases_OutOfAttempts_FailsTheTrialClosedWithoutResult()
    {
        await using var h = await CreateAsync();
        var study = await h.CreateStudyAsync(RandomPlan(maxTrials: 1, maxAttempts: 2));
        await study.LeaseAsync("w1", 1);
        h.Clock.Advance(Lease);
        await study.ExpireLeases();
        var second = Assert.Single(await study.LeaseAsync("w2", 1));
        h.Clock.Advance(Lease);

        await study.ExpireLeases();

        Assert.Equal((0L, 2), (second.Number, second.Attempt));
        var stored = await h.ReadTrialAsync(study, 0);
        Assert.Equal(TrialState.Failed, stored.State);
        Assert.Equal(2, stored.Attempt);
        Assert.True(stored.ClosedWithoutResult);
        Assert.Equal("lease expired (worker 'w2'); gave up after 2 attempts", stored.Reason);
        Assert.Equal(Epoch + Lease + Lease, stored.EndTime);
        Assert.Equal((0, 0, 0, 0, 1, 0), study.CountsOf());
        Assert.Equal(StudyState.Completed, study.State);
        Assert.Equal("trial budget spent", study.View().StateReason);
    }

    [Fact]
    public async Task Tell_AfterLeaseExpiredBeforeTheSweep_IsExpiredAndRequeues()
    {
        await using var h = await CreateAsync();
        var study = await h.CreateStudyAsync(RandomPlan());
        var trial = Assert.Single(await study.LeaseAsync("w1", 1));
        h.Clock.Advance(Lease);

        var answer = await study.TellScoreAsync(trial, 1.0);

        Assert.Equal(TellStatus.Expired, answer.Status);
        Assert.Null(answer.Trial);
        Assert.Equal("the lease of trial 0 attempt 1 expired before its result arrived", answer.Message);
        var stored = await h.ReadTrialAsync(study, 0);
        Assert.Equal((TrialState.Pending, 2), (stored.State, stored.Attempt));
        Assert.Equal((1, 0, 0, 0, 0, 0), study.CountsOf());
        var again = Assert.Single(await study.LeaseAsync("w2", 1));
        Assert.Equal((0L, 2, "w2"), (again.Number, again.Attempt, again.WorkerId));
    }

    [Fact]
    public async Task Tell_AfterLeaseExpiredBeforeTheSweep_WakesWaitersForTheRequeuedTrial()
    {
        await using var h = await CreateAsync();
        var study = await h.CreateStudyAsync(RandomPlan());
        var trial = Assert.Single(await study.LeaseAsync("w1", 1));
        h.Clock.Advance(Lease);
        var woken = study.Changed.WaitAsync();

        await study.TellScoreAsync(trial, 1.0);

        // The trial is pending again and no sweep will find it running: only this pulse tells idle work sessions.
        Assert.True(woken.IsCompleted);
    }

    [Fact]
    public async Task Heartbeat_AfterTheLeaseExpired_DoesNotReviveTheAttempt()
    {
        await using var h = await CreateAsync();
        var study = await h.CreateStudyAsync(RandomPlan());
        var trial = Assert.Single(await study.LeaseAsync("w1", 1));
        h.Clock.Advance(Lease);

        await study.Heartbeat("w1", [(0, 1)]);
        var answer = await study.TellScoreAsync(trial, 1.0);

        // Strict leases: once attempt 1's lease has passed it is void, whether or not the sweeper ran.
        Assert.Equal(TellStatus.Expired, answer.Status);
        var stored = await h.ReadTrialAsync(study, 0);
        Assert.Equal((TrialState.Pending, 2), (stored.State, stored.Attempt));
        Assert.Equal((1, 0, 0, 0, 0, 0), study.CountsOf());
    }

    [Fact]
    public async Task Heartbeat_MatchingWorkerAndAttempt_RenewsTheLeaseFromNow()
    {
        await using var h = await CreateAsync();
        var study = await h.CreateStudyAsync(RandomPlan());
        var trial = Assert.Single(await study.LeaseAsync("w1", 1));
        h.Clock.Advance(TimeSpan.FromSeconds(20));

        await study.Heartbeat("w1", [(0, 1)]);
        h.Clock.Advance(TimeSpan.FromSeconds(29));
        await study.ExpireLeases();
        var beforeRenewedExpiry = study.CountsOf();
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        await study.ExpireLeases();

        // Renewed at 20 s for the plan's 30 s: alive at 49 s, expired at 50 s.
        Assert.Equal((0, 1, 0, 0, 0, 0), beforeRenewedExpiry);
        Assert.Equal((1, 0, 0, 0, 0, 0), study.CountsOf());
        Assert.Equal(2, (await h.ReadTrialAsync(study, trial.Number)).Attempt);
    }

    [Fact]
    public async Task Heartbeat_RenewedTrial_AcceptsAResultAfterTheFirstExpiry()
    {
        await using var h = await CreateAsync();
        var study = await h.CreateStudyAsync(RandomPlan());
        var trial = Assert.Single(await study.LeaseAsync("w1", 1));
        h.Clock.Advance(TimeSpan.FromSeconds(20));
        await study.Heartbeat("w1", [(0, 1)]);
        h.Clock.Advance(TimeSpan.FromSeconds(20));

        var answer = await study.TellScoreAsync(trial, 2.5);

        Assert.Equal(TellStatus.Accepted, answer.Status);
        Assert.Equal((0, 0, 1, 0, 0, 0), study.CountsOf());
    }

    [Fact]
    public async Task Heartbeat_OtherWorkerOrAttemptOrNumber_DoesNotRenew()
    {
        await using var h = await CreateAsync();
        var study = await h.CreateStudyAsync(RandomPlan());
        await study.LeaseAsync("w1", 1);
        h.Clock.Advance(TimeSpan.FromSeconds(20));

        await study.Heartbeat("w2", [(0, 1)]);
        await study.Heartbeat("w1", [(0, 2), (7, 1)]);
        h.Clock.Advance(TimeSpan.FromSeconds(10));
        await study.ExpireLeases();

        var stored = await h.ReadTrialAsync(study, 0);
        Assert.Equal((TrialState.Pending, 2), (stored.State, stored.Attempt));
        Assert.Equal((1, 0, 0, 0, 0, 0), study.CountsOf());
    }
}
