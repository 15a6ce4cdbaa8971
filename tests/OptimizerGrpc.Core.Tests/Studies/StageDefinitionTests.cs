using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Sequences;
using OptimizerGrpc.Core.Studies;
using static OptimizerGrpc.Core.Tests.Sequences.PlanningFixture;

namespace OptimizerGrpc.Core.Tests.Studies;

public sealed class StageDefinitionTests
{
    private static readonly ObjectiveDefinition[] SharpeAndDrawdown = [new("sharpe_ratio", true), new("max_drawdown", false)];

    private static StageDefinition Stage(double[]? weights) =>
        SequencePlanner.Plan(new SequentialSequence([]), Study(objectives: SharpeAndDrawdown, weights: weights))[1];

    [Fact]
    public void New_PlannedStage_DefaultsForEverythingItDoesNotSet()
    {
        var stage = Stage(null);

        Assert.Equal("stage-1", stage.StageId);
        Assert.Equal("", stage.Regime);
        Assert.Equal("", stage.SkipReason);
        Assert.Null(stage.WindowIndex);
        Assert.Null(stage.Hierarchy);
        Assert.False(stage.IsValidation);
        Assert.Equal(0, stage.RegimeBars);
    }

    [Fact]
    public void Orient_MaximisedAndMinimised_MinimisedNegated()
    {
        Assert.Equal([1.5, -0.2], Stage(null).Orient([1.5, 0.2]));
    }

    [Fact]
    public void Rank_NoWeights_FirstOrientedScore()
    {
        var stage = Stage(null);

        Assert.Equal(1.5, stage.Rank(stage.Orient([1.5, 0.2])));
    }

    [Fact]
    public void Rank_Weights_WeightedSumOfOrientedScores()
    {
        var stage = Stage([1, 2]);

        Assert.Equal(1.1, stage.Rank(stage.Orient([1.5, 0.2])), 12); // 1 * 1.5 + 2 * (-0.2)
    }

    [Fact]
    public void ObjectiveDefinition_Orient_MinimisedNegated()
    {
        Assert.Equal(0.3, new ObjectiveDefinition("sharpe_ratio", true).Orient(0.3));
        Assert.Equal(-0.3, new ObjectiveDefinition("max_drawdown", false).Orient(0.3));
    }

    [Fact]
    public void StageView_Definition_IndexAndStageIdFromIt()
    {
        var stage = Stage(null);

        var view = new StageView(stage, StageState.Pending, null, default, [], new RandomSettings(), stage.Seed, false, "");

        Assert.Equal((1, "stage-1"), (view.Index, view.StageId));
    }
}
