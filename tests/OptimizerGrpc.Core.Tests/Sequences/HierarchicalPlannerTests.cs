using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Methods.Grid;
using OptimizerGrpc.Core.Methods.Hierarchical;
using OptimizerGrpc.Core.Methods.MultiObjective;
using OptimizerGrpc.Core.Sequences;
using OptimizerGrpc.Core.Studies;
using static OptimizerGrpc.Core.Tests.Sequences.PlanningFixture;

namespace OptimizerGrpc.Core.Tests.Sequences;

public sealed class HierarchicalPlannerTests
{
    private const string Path = "spec.sequence.hierarchical";

    private static StageTemplate Outer(params string[] targets) => Stage("", Path + ".outer", targets);

    private static StageTemplate Inner(params string[] targets) => Stage("", Path + ".inner", targets);

    [Fact]
    public void Plan_GridOuterRandomInner_OneStageOverBothLevels()
    {
        var sequence = new HierarchicalSequence(Outer("ma") with { Method = new GridSettings() }, Inner("rsi") with { MaxTrials = 20 });

        var stage = Assert.Single(SequencePlanner.Plan(sequence, Study()));

        Assert.Equal(0, stage.Index);
        Assert.Equal("ma over rsi", stage.Name);
        Assert.Equal(["ma", "rsi"], stage.Targets);
        Assert.Equal([0, 1, 2], stage.FreeIndices);
        Assert.Equal(["ma.fast", "ma.slow", "rsi.period"], stage.Space.Parameters.Select(p => p.Name));
        Assert.Equal(0xB11E7CBUL, stage.Seed); // 42 ^ 0xB11E7E1: 0x2A ^ 0xE1 = 0xCB
        Assert.Equal(Sharpe, stage.Objectives);
        Assert.Same(DataContext.Whole, stage.Context);
        var settings = Assert.IsType<HierarchicalSettings>(stage.Method);
        Assert.IsType<GridSettings>(settings.Outer);
        Assert.IsType<RandomSettings>(settings.Inner);
        Assert.Equal(100, settings.OuterBudget);
        Assert.Equal(20, settings.InnerBudget);
        Assert.Equal([0, 1], settings.OuterPositions);
        var plan = stage.Hierarchy!;
        Assert.Equal(["ma"], plan.OuterTargets);
        Assert.Equal(["rsi"], plan.InnerTargets);
        Assert.Equal([0, 1], plan.OuterIndices);
        Assert.Equal((100L, 20L), (plan.OuterBudget, plan.InnerBudget));
        Assert.Equal(300, stage.PlannedTrials); // outer: min(100, 5 * 3 grid) = 15 candidates, inner: 20 trials each
    }

    [Fact]
    public void Plan_OuterParametersAfterInnerOnes_OuterPositionsIndexTheStageSpace()
    {
        var stage = Assert.Single(SequencePlanner.Plan(new HierarchicalSequence(Outer("stop"), Inner("ma")), Study()));

        // Stage space: ma.fast, ma.slow, stop.kind (study indices 0, 1, 3); the outer stop.kind is at position 2.
        Assert.Equal("stop over ma", stage.Name);
        Assert.Equal([0, 1, 3], stage.FreeIndices);
        Assert.Equal([2], ((HierarchicalSettings)stage.Method).OuterPositions);
        Assert.Equal([3], stage.Hierarchy!.OuterIndices);
    }

    [Fact]
    public void Plan_NamedLevels_StageNamedAfterThem()
    {
        var stage = Assert.Single(SequencePlanner.Plan(new HierarchicalSequence(Outer("ma").WithName("trend"), Inner("rsi", "stop").WithName("entry")), Study()));

        Assert.Equal("trend over entry", stage.Name);
        Assert.Equal(["ma", "rsi", "stop"], stage.Targets);
    }

    [Fact]
    public void Plan_NoLevels_ViolationForEachMissingLevel()
    {
        Assert.Equal([Path + ".outer.targets", Path + ".inner.targets"], RejectedFields(new HierarchicalSequence(null, Inner()), Study()));
    }

    [Fact]
    public void Plan_SharedTarget_ViolationAtInnerTargets()
    {
        var error = Rejected(new HierarchicalSequence(Outer("ma"), Inner("rsi", "ma")), Study());

        var violation = Assert.Single(error.Violations);
        Assert.Equal(Path + ".inner.targets", violation.Field);
        Assert.Equal("target 'ma' is both outer and inner; the levels must search disjoint targets", violation.Message);
    }

    [Theory]
    [InlineData(true, Path + ".outer.method")]
    [InlineData(false, Path + ".inner.method")]
    public void Plan_Nsga2Level_ViolationAtThatLevelsMethod(bool outer, string field)
    {
        var nsga = new Nsga2Settings();
        var sequence = outer
            ? new HierarchicalSequence(Outer("ma") with { Method = nsga }, Inner("rsi"))
            : new HierarchicalSequence(Outer("ma"), Inner("rsi") with { Method = nsga });

        var violation = Assert.Single(Rejected(sequence, Study()).Violations);

        Assert.Equal(field, violation.Field);
        Assert.Equal("NSGA-II returns a front, not one winner; use it in a single-stage study", violation.Message);
    }

    [Fact]
    public void Plan_OuterObjectivesDifferFromInner_ViolationAtOuterObjectives()
    {
        var outer = Outer("ma") with { Objectives = [new ObjectiveSpec("sortino_ratio", ObjectiveDirection.Maximize, null)] };

        Assert.Equal([Path + ".outer.objectives"], RejectedFields(new HierarchicalSequence(outer, Inner("rsi")), Study()));
    }

    [Fact]
    public void Plan_OuterObjectivesRestateInner_Accepted()
    {
        var outer = Outer("ma") with { Objectives = [new ObjectiveSpec("sharpe_ratio", ObjectiveDirection.Unspecified, null)] };

        Assert.Single(SequencePlanner.Plan(new HierarchicalSequence(outer, Inner("rsi")), Study()));
    }

    [Fact]
    public void Plan_SeveralInnerObjectivesWithoutWeights_ViolationAtInnerObjectives()
    {
        var study = Study(objectives: [new("sharpe_ratio", true), new("max_drawdown", false)]);

        Assert.Equal([Path + ".inner.objectives"], RejectedFields(new HierarchicalSequence(Outer("ma"), Inner("rsi")), study));
    }

    [Fact]
    public void Plan_SeveralInnerObjectivesWithWeights_RankedByTheWeights()
    {
        var study = Study(objectives: [new("sharpe_ratio", true), new("max_drawdown", false)], weights: [1, 2]);

        var stage = Assert.Single(SequencePlanner.Plan(new HierarchicalSequence(Outer("ma"), Inner("rsi")), study));

        Assert.Equal([1.0, 2.0], stage.Weights!);
    }

    [Fact]
    public void Plan_UnknownOuterTarget_ViolationAtOuterTargets()
    {
        var violation = Assert.Single(Rejected(new HierarchicalSequence(Outer("vol"), Inner("rsi")), Study()).Violations);

        Assert.Equal(Path + ".outer.targets", violation.Field);
        Assert.Equal("unknown target 'vol'", violation.Message);
    }
}
