using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Methods.Grid;
using OptimizerGrpc.Core.Sequences;
using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;
using OptimizerGrpc.Server.Engine;
using static OptimizerGrpc.Server.Tests.Engine.EngineHarness;

namespace OptimizerGrpc.Server.Tests.Engine;

public sealed class StageProgressionTests
{
    [Fact]
    public async Task Tell_LastPointOfAGrid_CompletesTheStudyAsEnumerated()
    {
        await using var h = await CreateAsync();
        var study = await h.CreateStudyAsync(Plan(new GridSettings(), 0, [Int("t.a", 1, 2), Int("t.b", 1, 3)]));
        var trials = await study.LeaseAsync("w1", 10);
        foreach (var trial in trials.Take(5))
        {
            await study.TellScoreAsync(trial, Score(trial));
        }

        var stateBeforeLast = study.State;
        var watcher = h.Events.Subscribe("s1", includeTrials: false);
        await study.TellScoreAsync(trials[5], Score(trials[5]));

        // The last parameter varies fastest.
        Assert.Equal(["1,1", "1,2", "1,3", "2,1", "2,2", "2,3"], trials.Select(Key));
        Assert.Equal(StudyState.Running, stateBeforeLast);
        Assert.Equal(StudyState.Completed, study.State);
        var view = study.View();
        Assert.Equal("search space enumerated", view.StateReason);
        Assert.Equal(StageState.Completed, Assert.Single(view.Stages).State);
        Assert.Equal(5, view.Best!.Number);
        Assert.Equal((0, 0, 6, 0, 0, 0), study.CountsOf());
        var events = Drain(watcher);
        Assert.Equal([typeof(NewBestEvent), typeof(StageCompletedEvent), typeof(StudyStateChangedEvent)], events.Select(e => e.GetType()));
        var ended = (StudyStateChangedEvent)events[2];
        Assert.Equal((StudyState.Completed, StudyState.Running, "search space enumerated", true), (ended.State, ended.Previous, ended.Reason, ended.EndsStudy));
        Assert.Empty(await study.LeaseAsync("w1", 10));
    }

    [Fact]
    public async Task Tell_LastTrialOfTheBudget_CompletesTheStudyAsBudgetSpent()
    {
        await using var h = await CreateAsync();
        var study = await h.CreateStudyAsync(Plan(new RandomSettings(), 3, [Float("t.x", 0, 1)]));
        var trials = await study.LeaseAsync("w1", 5);
        var more = await study.LeaseAsync("w2", 5);

        foreach (var trial in trials)
        {
            await study.TellScoreAsync(trial, 1.0);
        }

        Assert.Equal([0L, 1L, 2L], trials.Select(t => t.Number));
        Assert.Empty(more);
        Assert.Equal(StudyState.Completed, study.State);
        Assert.Equal("trial budget spent", study.View().StateReason);
        Assert.Equal((0, 0, 3, 0, 0, 0), study.CountsOf());
    }

    [Fact]
    public async Task Tell_TinyDiscreteSpaceSearchedAtRandom_EndsAsEnumeratedWithoutRepeatingATrial()
    {
        await using var h = await CreateAsync();
        var study = await h.CreateStudyAsync(Plan(new RandomSettings(), 100, [Int("t.a", 1, 2)]));
        var trials = await study.LeaseAsync("w1", 10);

        foreach (var trial in trials)
        {
            await study.TellScoreAsync(trial, trial.Params[0].AsInt);
        }

        // Two points: every later proposal repeats one in flight and waits for its result, until 256 repeats in a row
        // mark the space saturated.
        Assert.Equal(["1", "2"], trials.Select(Key).Order());
        Assert.Equal((StudyState.Completed, "search space enumerated"), (study.State, study.View().StateReason));
        Assert.Equal((0, 0, 2, 0, 0, 0), study.CountsOf());
    }

    [Fact]
    public async Task Lease_SequentialPlan_StartsStageOneOnlyAfterStageZeroWithItsWinnerFixed()
    {
        await using var h = await CreateAsync();
        var plan = Plan(new GridSettings(), 0, [Int("a.x", 1, 3), Int("b.y", 1, 2)], new SequentialSequence([]));
        var study = await h.CreateStudyAsync(plan);
        var first = await study.LeaseAsync("w1", 10);
        var whileFirstRuns = await study.LeaseAsync("w1", 10);
        await study.TellScoreAsync(first[0], 5);
        await study.TellScoreAsync(first[1], 7);
        var stageOneBeforeLast = study.View().Stages[1].State;

        await study.TellScoreAsync(first[2], 9);
        var second = await study.LeaseAsync("w1", 10);

        // Stage 0 searches a.x with b.y at its default (the middle of [1, 2] is 2); stage 1 searches b.y with a.x = 3.
        Assert.Equal(["1,2", "2,2", "3,2"], first.Select(Key));
        Assert.All(first, t => Assert.Equal(0, t.StageIndex));
        Assert.Empty(whileFirstRuns);
        Assert.Equal(StageState.Pending, stageOneBeforeLast);
        Assert.Equal([3L, 4L], second.Select(t => t.Number));
        Assert.Equal(["3,1", "3,2"], second.Select(Key));
        Assert.All(second, t => Assert.Equal(1, t.StageIndex));
        var stages = study.View().Stages;
        Assert.Equal((StageState.Completed, StageState.Running), (stages[0].State, stages[1].State));
        var fixedParam = Assert.Single(stages[1].FixedParams);
        Assert.Equal(("a.x", ParamValue.Int(3)), (fixedParam.Key, fixedParam.Value));
    }

    [Fact]
    public async Task Tell_SequentialPlanDone_MakesTheLastStagesWinnerTheStudysBest()
    {
        await using var h = await CreateAsync();
        var plan = Plan(new GridSettings(), 0, [Int("a.x", 1, 3), Int("b.y", 1, 2)], new SequentialSequence([]));
        var study = await h.CreateStudyAsync(plan);
        foreach (var trial in await study.LeaseAsync("w1", 10))
        {
            await study.TellScoreAsync(trial, 100 - Score(trial));
        }

        var second = await study.LeaseAsync("w1", 10);
        await study.TellScoreAsync(second[0], 1);
        await study.TellScoreAsync(second[1], 2);

        // A later stage's winner includes the earlier ones, so it is the study's best even with a lower score.
        var view = study.View();
        Assert.Equal((StudyState.Completed, "search space enumerated"), (view.State, view.StateReason));
        Assert.Equal(4, view.Best!.Number);
        Assert.Equal("1,2", Key(view.Best));
        Assert.Equal(0, view.Stages[0].Best!.Number);
    }

    [Fact]
    public async Task Tell_WalkForwardInSampleWithoutWinner_SkipsTheValidationStage()
    {
        await using var h = await CreateAsync();
        var sequence = new WalkForwardSequence(null, InSampleBars: 10, OutOfSampleBars: 5, StepBars: null, Anchored: false, Attribution: false);
        var study = await h.CreateStudyAsync(Plan(new GridSettings(), 0, [Int("t.p", 1, 2)], sequence, barCount: 15));
        var trials = await study.LeaseAsync("w1", 10);

        foreach (var trial in trials)
        {
            await study.TellAsync(new ReportedOutcome(trial.Number, trial.Attempt, Errored("no trades"), "w1"));
        }

        var view = study.View();
        Assert.Equal(2, trials.Count);
        Assert.Equal((StageState.Completed, StageState.Skipped), (view.Stages[0].State, view.Stages[1].State));
        Assert.Equal("the in-sample stage found no feasible winner", view.Stages[1].SkipReason);
        Assert.Equal((StudyState.Completed, "search space enumerated"), (view.State, view.StateReason));
        Assert.Equal((0, 0, 0, 0, 2, 0), study.CountsOf());
        Assert.Empty(await study.LeaseAsync("w1", 10));
    }

    [Fact]
    public async Task Lease_WalkForwardInSampleWithWinner_ValidatesItOnTheOutOfSampleWindow()
    {
        await using var h = await CreateAsync();
        var sequence = new WalkForwardSequence(null, InSampleBars: 10, OutOfSampleBars: 5, StepBars: null, Anchored: false, Attribution: false);
        var study = await h.CreateStudyAsync(Plan(new GridSettings(), 0, [Int("t.p", 1, 2)], sequence, barCount: 15));
        var trials = await study.LeaseAsync("w1", 10);
        await study.TellScoreAsync(trials[0], 3);
        await study.TellScoreAsync(trials[1], 1);

        var validation = Assert.Single(await study.LeaseAsync("w1", 10));
        await study.TellScoreAsync(validation, 0.5);

        Assert.Equal((2L, 1), (validation.Number, validation.StageIndex));
        Assert.Equal([ParamValue.Int(1)], validation.Params);
        Assert.Equal(new WindowContext(new BarRange(10, 15), "out-of-sample 0", false), validation.Context);
        var view = study.View();
        Assert.Equal((StageState.Completed, StageState.Completed), (view.Stages[0].State, view.Stages[1].State));
        Assert.Equal((StudyState.Completed, "search space enumerated"), (view.State, view.StateReason));
        Assert.Equal(2, view.Best!.Number);
    }

    /// <summary>10 a + b for a trial over two int parameters: grows along the grid's order.</summary>
    private static double Score(TrialRecord trial) => (10 * trial.Params[0].AsInt) + trial.Params[1].AsInt;

    private static string Key(TrialRecord trial) => string.Join(",", trial.Params);

    private static List<StudyEvent> Drain(EventHub.Watcher watcher)
    {
        var events = new List<StudyEvent>();
        while (watcher.Queue.Reader.TryRead(out var e))
        {
            events.Add(e);
        }

        return events;
    }
}
