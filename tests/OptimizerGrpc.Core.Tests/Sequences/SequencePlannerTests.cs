using OptimizerGrpc.Core.Methods.Hierarchical;
using OptimizerGrpc.Core.Sequences;
using OptimizerGrpc.Core.Studies;
using static OptimizerGrpc.Core.Tests.Sequences.PlanningFixture;

namespace OptimizerGrpc.Core.Tests.Sequences;

public sealed class SequencePlannerTests
{
    [Fact]
    public void Plan_SingleSequence_OneStageMainOverEveryTarget()
    {
        var stages = SequencePlanner.Plan(new SingleSequence(), Study());

        var stage = Assert.Single(stages);
        Assert.Equal(0, stage.Index);
        Assert.Equal("stage-0", stage.StageId);
        Assert.Equal("main", stage.Name);
        Assert.Equal(Targets, stage.Targets);
        Assert.Equal([0, 1, 2, 3], stage.FreeIndices);
        Assert.Same(DataContext.Whole, stage.Context);
        Assert.Empty(stage.After);
        Assert.Equal(Seed, stage.Seed); // 42 + 0 * 0x9E3779B97F4A7C15
        Assert.Equal(100, stage.PlannedTrials); // random search implies no size: the budget
    }

    [Fact]
    public void Plan_SingleSequenceWithoutTargets_ViolationAtSpecTargets()
    {
        var study = Study() with { Targets = [] };

        var error = Rejected(new SingleSequence(), study);

        var violation = Assert.Single(error.Violations);
        Assert.Equal("spec.targets", violation.Field);
        Assert.Equal("a stage needs at least one target", violation.Message);
        Assert.Equal("invalid sequence: spec.targets: a stage needs at least one target", error.Message);
    }

    [Fact]
    public void Plan_EachKindOfSequence_DispatchedToItsPlanner()
    {
        var data = new DataDescription(100, [0, 0, 1, 1], ["bull", "bear"]);
        var study = Study(data: data);

        // Sequential and parallel without stages: one per target (3). Hierarchical: one stage. Regime: one per regime (2).
        // Walk-forward over 100 bars, in 40, out 20, step 20: 3 windows of 2 stages each (6).
        Assert.Equal(3, SequencePlanner.Plan(new SequentialSequence([]), study).Count);
        Assert.Equal(3, SequencePlanner.Plan(new ParallelSequence([]), study).Count);
        Assert.IsType<HierarchicalSettings>(Assert.Single(SequencePlanner.Plan(
            new HierarchicalSequence(Stage("", "o", "ma"), Stage("", "i", "rsi")), study)).Method);
        Assert.Equal(["bull", "bear"], SequencePlanner.Plan(new RegimeSpecificSequence(null, 1, "", false), study).Select(s => s.Regime));
        Assert.Equal(6, SequencePlanner.Plan(new WalkForwardSequence(null, 40, 20, 20, false, false), study).Count);
    }

    [Fact]
    public void Plan_SeveralMistakes_AllReportedTogetherInStageOrder()
    {
        var sequence = new SequentialSequence([
            Stage("", "spec.sequence.sequential.stages[0]", "nope"),
            Stage("", "spec.sequence.sequential.stages[1]"),
        ]);

        var error = Rejected(sequence, Study());

        Assert.Equal(["spec.sequence.sequential.stages[0].targets", "spec.sequence.sequential.stages[1].targets"], error.Violations.Select(v => v.Field));
        Assert.Equal(
            "invalid sequence: spec.sequence.sequential.stages[0].targets: unknown target 'nope'; "
            + "spec.sequence.sequential.stages[1].targets: a stage needs at least one target",
            error.Message);
    }
}
