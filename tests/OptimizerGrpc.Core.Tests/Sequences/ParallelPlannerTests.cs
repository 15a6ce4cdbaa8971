using OptimizerGrpc.Core.Sequences;
using OptimizerGrpc.Core.Studies;
using static OptimizerGrpc.Core.Tests.Sequences.PlanningFixture;

namespace OptimizerGrpc.Core.Tests.Sequences;

public sealed class ParallelPlannerTests
{
    private static StageTemplate At(int i, params string[] targets) => Stage("", $"spec.sequence.parallel.stages[{i}]", targets);

    [Fact]
    public void Plan_NoStages_OneIndependentStagePerTarget()
    {
        var stages = SequencePlanner.Plan(new ParallelSequence([]), Study());

        Assert.Equal([0, 1, 2], stages.Select(s => s.Index));
        Assert.Equal(["ma", "rsi", "stop"], stages.Select(s => s.Name));
        Assert.Equal([[0, 1], [2], [3]], stages.Select(s => s.FreeIndices));
        Assert.All(stages, s => Assert.Empty(s.After));
        Assert.All(stages, s => Assert.Same(DataContext.Whole, s.Context));
        Assert.Equal([0x2AUL, 0x9E3779B97F4A7C3FUL, 0x3C6EF372FE94F854UL], stages.Select(s => s.Seed)); // 42 + i * 0x9E3779B97F4A7C15
    }

    [Fact]
    public void Plan_DisjointWrittenStages_TheirTargetsAndNames()
    {
        var stages = SequencePlanner.Plan(new ParallelSequence([At(0, "ma", "stop"), At(1, "rsi")]), Study());

        Assert.Equal(["ma+stop", "rsi"], stages.Select(s => s.Name));
        Assert.Equal([[0, 1, 3], [2]], stages.Select(s => s.FreeIndices));
    }

    [Fact]
    public void Plan_OverlappingTargets_ViolationAtTheLaterStagesTargets()
    {
        var error = Rejected(new ParallelSequence([At(0, "ma"), At(1, "rsi", "ma")]), Study());

        var violation = Assert.Single(error.Violations);
        Assert.Equal("spec.sequence.parallel.stages[1].targets", violation.Field);
        Assert.Equal("parallel stages must search disjoint targets (they run at once and their winners are combined)", violation.Message);
    }

    [Fact]
    public void Plan_TwoOverlapsInARow_EachOverlappingStageReported()
    {
        // Stage 1 repeats ma (from stage 0); stage 2 repeats rsi (from stage 1): both are mistakes.
        var fields = RejectedFields(new ParallelSequence([At(0, "ma"), At(1, "ma", "rsi"), At(2, "rsi")]), Study());

        Assert.Equal(["spec.sequence.parallel.stages[1].targets", "spec.sequence.parallel.stages[2].targets"], fields);
    }

    [Fact]
    public void Plan_UnknownTarget_ViolationAtThatStage()
    {
        var fields = RejectedFields(new ParallelSequence([At(0, "ma"), At(1, "bollinger")]), Study());

        Assert.Equal(["spec.sequence.parallel.stages[1].targets"], fields);
    }
}
