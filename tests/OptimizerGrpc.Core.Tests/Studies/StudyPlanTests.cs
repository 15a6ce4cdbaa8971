using OptimizerGrpc.Core.Metrics;
using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Scoring;
using OptimizerGrpc.Core.Sequences;
using OptimizerGrpc.Core.Studies;
using static OptimizerGrpc.Core.Tests.Sequences.PlanningFixture;

namespace OptimizerGrpc.Core.Tests.Studies;

public sealed class StudyPlanTests
{
    private static StudyPlan Plan(double[]? weights) => new(
        Space, new RandomSettings(), Seed, [new("sharpe_ratio", true), new("max_drawdown", false)], null, 100, StudyPlan.DefaultMaxAttempts, StudyPlan.DefaultLeaseDuration)
    {
        Weights = weights,
        Stages = SequencePlanner.Plan(new SingleSequence(), Study()),
        Defaults = [],
        Scorer = new TrialScorer(new MetricSettings(0, null), [], [], []),
    };

    [Fact]
    public void Defaults_AttemptsAndLease_ThreeAndSixtySeconds()
    {
        Assert.Equal(3, StudyPlan.DefaultMaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(60), StudyPlan.DefaultLeaseDuration);
        Assert.False(Plan(null).AllowRepeats);
    }

    [Fact]
    public void Rank_NoWeights_FirstOrientedScore()
    {
        Assert.Equal(1.5, Plan(null).Rank([1.5, -0.2]));
    }

    [Fact]
    public void Rank_Weights_WeightedSum()
    {
        Assert.Equal(0.9, Plan([1, 3]).Rank([1.5, -0.2]), 12); // 1.5 + 3 * (-0.2)
    }
}
