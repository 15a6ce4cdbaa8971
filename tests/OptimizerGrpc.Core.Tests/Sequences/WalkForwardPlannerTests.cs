using OptimizerGrpc.Core.Methods.Grid;
using OptimizerGrpc.Core.Sequences;
using OptimizerGrpc.Core.Studies;
using static OptimizerGrpc.Core.Tests.Sequences.PlanningFixture;

namespace OptimizerGrpc.Core.Tests.Sequences;

public sealed class WalkForwardPlannerTests
{
    private const string Path = "spec.sequence.walk_forward";

    private static IReadOnlyList<StageDefinition> Plan(long bars, long inSample, long outOfSample, long? step, bool anchored = false, bool attribution = false) =>
        SequencePlanner.Plan(
            new WalkForwardSequence(null, inSample, outOfSample, step, anchored, attribution),
            Study(data: new DataDescription(bars, [], [])));

    private static BarRange Window(StageDefinition stage) => Assert.IsType<WindowContext>(stage.Context).Window;

    [Fact]
    public void Plan_Rolling_WindowsMoveByStepUntilTheSeriesEnds()
    {
        // 100 bars, in 40, out 20, step 20:
        // w  in-sample   out-of-sample
        // 0  [0, 40)     [40, 60)
        // 1  [20, 60)    [60, 80)
        // 2  [40, 80)    [80, 100)
        // (3 [60, 100)   [100, 120) would pass the end)
        var stages = Plan(100, 40, 20, 20);

        Assert.Equal([0, 1, 2, 3, 4, 5], stages.Select(s => s.Index));
        Assert.Equal(
            [new BarRange(0, 40), new BarRange(40, 60), new BarRange(20, 60), new BarRange(60, 80), new BarRange(40, 80), new BarRange(80, 100)],
            stages.Select(Window));
        Assert.Equal([0, 0, 1, 1, 2, 2], stages.Select(s => s.WindowIndex!.Value));
    }

    [Fact]
    public void Plan_Anchored_InSampleStartsAtZeroAndGrows()
    {
        // 100 bars, in 40, out 20, step 20: in-sample [0, 40), [0, 60), [0, 80); out-of-sample [40, 60), [60, 80), [80, 100).
        var stages = Plan(100, 40, 20, 20, anchored: true);

        Assert.Equal(
            [new BarRange(0, 40), new BarRange(40, 60), new BarRange(0, 60), new BarRange(60, 80), new BarRange(0, 80), new BarRange(80, 100)],
            stages.Select(Window));
    }

    [Fact]
    public void Plan_NoStep_StepIsTheOutOfSampleLength()
    {
        // 100 bars, in 50, out 25: w0 [0, 50)/[50, 75), w1 [25, 75)/[75, 100); w2 would end at 125.
        var stages = Plan(100, 50, 25, null);

        Assert.Equal([new BarRange(0, 50), new BarRange(50, 75), new BarRange(25, 75), new BarRange(75, 100)], stages.Select(Window));
    }

    [Fact]
    public void Plan_StepLeavesATail_LastIncompleteWindowDropped()
    {
        // 100 bars, in 40, out 20, step 30: w0 [0, 40)/[40, 60), w1 [30, 70)/[70, 90); w2 [60, 100)/[100, 120) is dropped.
        var stages = Plan(100, 40, 20, 30);

        Assert.Equal([new BarRange(0, 40), new BarRange(40, 60), new BarRange(30, 70), new BarRange(70, 90)], stages.Select(Window));
    }

    [Fact]
    public void Plan_InSampleStages_SearchEveryTargetIndependently()
    {
        var stages = Plan(100, 40, 20, 20).Where(s => s.Index % 2 == 0).ToList();

        Assert.Equal(["in-sample 0", "in-sample 1", "in-sample 2"], stages.Select(s => s.Name));
        Assert.Equal(["in-sample 0", "in-sample 1", "in-sample 2"], stages.Select(s => s.Context.Label));
        Assert.All(stages, s => Assert.Equal(Targets, s.Targets));
        Assert.All(stages, s => Assert.Equal([0, 1, 2, 3], s.FreeIndices));
        Assert.All(stages, s => Assert.Empty(s.After));
        Assert.All(stages, s => Assert.False(s.IsValidation));
        Assert.All(stages, s => Assert.Equal(100, s.PlannedTrials));
        // Seeds of stages 0, 2, 4: 42 + index * 0x9E3779B97F4A7C15 mod 2^64.
        Assert.Equal([0x2AUL, 0x3C6EF372FE94F854UL, 0x78DDE6E5FD29F07EUL], stages.Select(s => s.Seed));
    }

    [Fact]
    public void Plan_ValidationStages_OneTrialOfTheirInSampleWinner()
    {
        var stages = Plan(100, 40, 20, 20).Where(s => s.Index % 2 == 1).ToList();

        Assert.Equal(["out-of-sample 0", "out-of-sample 1", "out-of-sample 2"], stages.Select(s => s.Name));
        Assert.Equal([[0], [2], [4]], stages.Select(s => s.After.ToArray()));
        Assert.All(stages, s => Assert.True(s.IsValidation));
        Assert.All(stages, s => Assert.Equal(1, s.PlannedTrials));
        Assert.All(stages, s => Assert.Equal(1, s.MaxTrials));
        Assert.All(stages, s => Assert.Empty(s.FreeIndices));
        Assert.All(stages, s => Assert.Equal(0, s.Space.Count));
        Assert.All(stages, s => Assert.IsType<GridSettings>(s.Method));
        Assert.All(stages, s => Assert.Equal(0UL, s.Seed));
        Assert.All(stages, s => Assert.Equal(Targets, s.Targets));
    }

    [Fact]
    public void Plan_SegmentMode_NoScoreSegmentsAndWindowsBacktestedAlone()
    {
        var stages = Plan(100, 40, 20, 20);

        Assert.All(stages, s => Assert.Null(s.ScoreSegments));
        Assert.All(stages, s => Assert.False(s.Context.EvaluateWholeSeries));
    }

    [Fact]
    public void Plan_AttributionMode_ScoreSegmentsAreEachStagesWindow()
    {
        var stages = Plan(100, 40, 20, 20, attribution: true);

        Assert.Equal(
            [[(0L, 40L)], [(40L, 60L)], [(20L, 60L)], [(60L, 80L)], [(40L, 80L)], [(80L, 100L)]],
            stages.Select(s => s.ScoreSegments!.ToArray()));
        Assert.All(stages, s => Assert.True(s.Context.EvaluateWholeSeries));
    }

    [Fact]
    public void Plan_WindowsTooShort_ViolationPerField()
    {
        var error = Rejected(new WalkForwardSequence(null, 1, 1, 0, false, false), Study(data: new DataDescription(100, [], [])));

        Assert.Equal(
            [(Path + ".in_sample_bars", "must be >= 2, got 1"), (Path + ".out_of_sample_bars", "must be >= 2, got 1"), (Path + ".step_bars", "must be >= 1, got 0")],
            error.Violations.Select(v => (v.Field, v.Message)));
    }

    [Fact]
    public void Plan_NoBarCount_ViolationAtDataBarCount()
    {
        Assert.Equal(["spec.data.bar_count"], RejectedFields(new WalkForwardSequence(null, 40, 20, null, false, false), Study()));
    }

    [Fact]
    public void Plan_OneWindowLongerThanTheSeries_ViolationAtTheSequence()
    {
        var violation = Assert.Single(Rejected(new WalkForwardSequence(null, 40, 20, null, false, false), Study(data: new DataDescription(59, [], []))).Violations);

        Assert.Equal((Path, "one window needs 60 bars; the series has 59"), (violation.Field, violation.Message));
    }

    [Fact]
    public void Plan_OneWindowExactlyTheSeries_OneWindow()
    {
        Assert.Equal([new BarRange(0, 40), new BarRange(40, 60)], Plan(60, 40, 20, null).Select(Window));
    }

    [Fact]
    public void Plan_StageTemplateWithUnknownTarget_ViolationAtTemplateTargets()
    {
        var sequence = new WalkForwardSequence(Stage("", Path + ".stage", "vol"), 40, 20, null, false, false);

        var violation = Assert.Single(Rejected(sequence, Study(data: new DataDescription(100, [], []))).Violations);

        Assert.Equal((Path + ".stage.targets", "unknown target 'vol'"), (violation.Field, violation.Message));
    }

    [Fact]
    public void Plan_StageTemplateTargets_OnlyThoseSearched()
    {
        var sequence = new WalkForwardSequence(Stage("ignored", Path + ".stage", "rsi"), 40, 20, null, false, false);

        var stages = SequencePlanner.Plan(sequence, Study(data: new DataDescription(100, [], [])));

        Assert.Equal("in-sample 0", stages[0].Name); // windows are named by their index
        Assert.All(stages, s => Assert.Equal(["rsi"], s.Targets));
        Assert.Equal([2], stages[0].FreeIndices);
    }
}
