using OptimizerGrpc.Core.Methods.Grid;
using OptimizerGrpc.Core.Sequences;
using OptimizerGrpc.Core.Studies;
using static OptimizerGrpc.Core.Tests.Sequences.PlanningFixture;

namespace OptimizerGrpc.Core.Tests.Sequences;

public sealed class SequentialPlannerTests
{
    [Fact]
    public void Plan_NoStages_OneStagePerTargetInSpecOrder()
    {
        var stages = SequencePlanner.Plan(new SequentialSequence([]), Study());

        Assert.Equal([0, 1, 2], stages.Select(s => s.Index));
        Assert.Equal(["ma", "rsi", "stop"], stages.Select(s => s.Name));
        Assert.Equal([["ma"], ["rsi"], ["stop"]], stages.Select(s => s.Targets.ToArray()));
        Assert.Equal([[0, 1], [2], [3]], stages.Select(s => s.FreeIndices));
        Assert.Equal([["ma.fast", "ma.slow"], ["rsi.period"], ["stop.kind"]], stages.Select(s => s.Space.Parameters.Select(p => p.Name).ToArray()));
        Assert.All(stages, s => Assert.Same(DataContext.Whole, s.Context));
    }

    [Fact]
    public void Plan_NoStages_EachStageFollowsAllEarlierOnes()
    {
        var stages = SequencePlanner.Plan(new SequentialSequence([]), Study());

        Assert.Equal([[], [0], [0, 1]], stages.Select(s => s.After.ToArray()));
    }

    [Fact]
    public void Plan_ThreeStages_SeedsSpreadByGoldenRatioIncrementWrapping()
    {
        var stages = SequencePlanner.Plan(new SequentialSequence([]), Study());

        // seed_i = 42 + i * 0x9E3779B97F4A7C15 mod 2^64: i = 2 gives 0x13C6EF372FE94F82A, wrapped 0x3C6EF372FE94F82A, + 0x2A.
        Assert.Equal([0x2AUL, 0x9E3779B97F4A7C3FUL, 0x3C6EF372FE94F854UL], stages.Select(s => s.Seed));
    }

    [Fact]
    public void Plan_GridStudy_PlannedTrialsAreEachStagesGridCappedByBudget()
    {
        var stages = SequencePlanner.Plan(new SequentialSequence([]), Study(new GridSettings(), maxTrials: 10));

        // ma: 5 * 3 = 15 points, capped by the budget 10; rsi: 3 points; stop: 2 points.
        Assert.Equal([10L, 3L, 2L], stages.Select(s => s.PlannedTrials));
        Assert.All(stages, s => Assert.Equal(10, s.MaxTrials));
    }

    [Fact]
    public void Plan_WrittenStages_NamedOrTheirTargetsJoined()
    {
        var sequence = new SequentialSequence([
            Stage("", "spec.sequence.sequential.stages[0]", "rsi", "ma"),
            Stage("exits", "spec.sequence.sequential.stages[1]", "stop"),
        ]);

        var stages = SequencePlanner.Plan(sequence, Study());

        Assert.Equal(["rsi+ma", "exits"], stages.Select(s => s.Name));
        Assert.Equal(["rsi", "ma"], stages[0].Targets);
        Assert.Equal([0, 1, 2], stages[0].FreeIndices); // space order, not target order
        Assert.Equal([[], [0]], stages.Select(s => s.After.ToArray()));
    }

    [Fact]
    public void Plan_UnknownTargetInSecondStage_ViolationAtThatStagesTargets()
    {
        var sequence = new SequentialSequence([
            Stage("", "spec.sequence.sequential.stages[0]", "ma"),
            Stage("", "spec.sequence.sequential.stages[1]", "macd"),
        ]);

        var error = Rejected(sequence, Study());

        var violation = Assert.Single(error.Violations);
        Assert.Equal("spec.sequence.sequential.stages[1].targets", violation.Field);
        Assert.Equal("unknown target 'macd'", violation.Message);
    }
}
