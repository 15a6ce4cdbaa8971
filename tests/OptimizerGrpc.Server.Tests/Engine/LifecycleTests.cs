using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Studies;
using OptimizerGrpc.Server.Engine;
using static OptimizerGrpc.Server.Tests.Engine.EngineHarness;

namespace OptimizerGrpc.Server.Tests.Engine;

public sealed class LifecycleTests
{
    private static StudyPlan RandomPlan(long maxTrials = 10) => Plan(new RandomSettings(), maxTrials, [Float("t.x", 0, 1)]);

    [Fact]
    public async Task Create_StartPaused_HandsOutNothingUntilResumed()
    {
        await using var h = await CreateAsync();
        var study = await h.CreateStudyAsync(RandomPlan(), startPaused: true);
        var whilePaused = await study.LeaseAsync("w1", 1);
        var stageWhilePaused = study.View().Stages[0].State;

        await study.Resume();
        var afterResume = await study.LeaseAsync("w1", 1);

        Assert.Empty(whilePaused);
        Assert.Equal(StageState.Pending, stageWhilePaused);
        Assert.Equal(StudyState.Running, study.State);
        Assert.Equal(0, Assert.Single(afterResume).Number);
    }

    [Fact]
    public async Task Pause_RunningStudy_StopsHandingOutButAcceptsResults()
    {
        await using var h = await CreateAsync();
        var study = await h.CreateStudyAsync(RandomPlan());
        var trial = Assert.Single(await study.LeaseAsync("w1", 1));

        await study.Pause();
        var whilePaused = await study.LeaseAsync("w1", 1);
        var answer = await study.TellScoreAsync(trial, 1.0);

        Assert.Equal(StudyState.Paused, study.State);
        Assert.Empty(whilePaused);
        Assert.Equal(TellStatus.Accepted, answer.Status);
        Assert.Equal((0, 0, 1, 0, 0, 0), study.CountsOf());
    }

    [Fact]
    public async Task Pause_AlreadyPaused_ChangesNothing()
    {
        await using var h = await CreateAsync();
        var study = await h.CreateStudyAsync(RandomPlan(), startPaused: true);
        long sequence = study.LastSequence;

        await study.Pause();

        Assert.Equal(StudyState.Paused, study.State);
        Assert.Equal(sequence, study.LastSequence);
    }

    [Fact]
    public async Task Stop_WithPendingAndRunningTrials_PrunesPendingAndStillAcceptsRunningResults()
    {
        await using var h = await CreateAsync();
        var study = await h.CreateStudyAsync(RandomPlan());
        await study.LeaseAsync("w1", 2);
        h.Clock.Advance(Lease);
        await study.ExpireLeases();
        var running = Assert.Single(await study.LeaseAsync("w2", 1));

        await study.Stop("");
        var answer = await study.TellScoreAsync(running, 1.0);

        var view = study.View();
        Assert.Equal((StudyState.Stopped, "stopped by request"), (view.State, view.StateReason));
        var pruned = await h.ReadTrialAsync(study, 0);
        Assert.Equal((TrialState.Pruned, "the study stopped before the trial ran", true), (pruned.State, pruned.Reason, pruned.ClosedWithoutResult));
        Assert.Equal((1L, TellStatus.Accepted), (running.Number, answer.Status));
        Assert.Equal((0, 0, 1, 0, 0, 1), study.CountsOf());
        Assert.Empty(await study.LeaseAsync("w2", 1));
    }

    [Fact]
    public async Task ExpireLeases_AfterStop_PrunesTheRunningTrial()
    {
        await using var h = await CreateAsync();
        var study = await h.CreateStudyAsync(RandomPlan());
        await study.LeaseAsync("w1", 1);
        await study.Stop("enough");
        h.Clock.Advance(Lease);

        await study.ExpireLeases();

        Assert.Equal("enough", study.View().StateReason);
        var stored = await h.ReadTrialAsync(study, 0);
        Assert.Equal((TrialState.Pruned, "lease expired (worker 'w1') after the study ended"), (stored.State, stored.Reason));
        Assert.Equal((0, 0, 0, 0, 0, 1), study.CountsOf());
    }

    [Fact]
    public async Task Resume_StoppedStudy_ThrowsInvalidState()
    {
        await using var h = await CreateAsync();
        var study = await h.CreateStudyAsync(RandomPlan());
        await study.Stop("");

        var resume = Assert.Throws<InvalidStudyStateException>(() => { _ = study.Resume(); });
        var pause = Assert.Throws<InvalidStudyStateException>(() => { _ = study.Pause(); });
        var stop = Assert.Throws<InvalidStudyStateException>(() => { _ = study.Stop(""); });

        Assert.Equal("study 's1' is Stopped; it cannot become Running", resume.Message);
        Assert.Equal("study 's1' is Stopped; it cannot become Paused", pause.Message);
        Assert.Equal("study 's1' is already Stopped", stop.Message);
        Assert.Equal(StudyState.Stopped, study.State);
    }

    [Fact]
    public async Task Pause_CompletedStudy_ThrowsInvalidState()
    {
        await using var h = await CreateAsync();
        var study = await h.CreateStudyAsync(RandomPlan(maxTrials: 1));
        await study.TellScoreAsync(Assert.Single(await study.LeaseAsync("w1", 1)), 1.0);

        var pause = Assert.Throws<InvalidStudyStateException>(() => { _ = study.Pause(); });

        Assert.Equal("study 's1' is Completed; it cannot become Paused", pause.Message);
        Assert.Equal(StudyState.Completed, study.State);
    }

    [Fact]
    public async Task Transitions_EachCommittedChange_IsPublishedWithItsPreviousState()
    {
        await using var h = await CreateAsync();
        var watcher = h.Events.Subscribe("s1", includeTrials: false);
        var study = await h.CreateStudyAsync(RandomPlan(), startPaused: true);

        await study.Resume();
        await study.Pause();
        await study.Stop("done");

        var changes = new List<(StudyState, StudyState, string)>();
        while (watcher.Queue.Reader.TryRead(out var e))
        {
            if (e is StudyStateChangedEvent c)
            {
                changes.Add((c.Previous, c.State, c.Reason));
            }
        }

        Assert.Equal(
            [
                (StudyState.Created, StudyState.Paused, ""),
                (StudyState.Paused, StudyState.Running, ""),
                (StudyState.Running, StudyState.Paused, ""),
                (StudyState.Paused, StudyState.Stopped, "done"),
            ],
            changes);
    }
}
