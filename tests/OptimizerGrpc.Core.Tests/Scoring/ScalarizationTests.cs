using OptimizerGrpc.Core.Scoring;

namespace OptimizerGrpc.Core.Tests.Scoring;

public sealed class ScalarizationTests
{
    [Fact]
    public void Rank_NoWeights_TheFirstScore()
    {
        Assert.Equal(3.0, Scalarization.Rank(null, [3, -1, 7]));
    }

    [Fact]
    public void Rank_Weights_WeightedSumOfOrientedScores()
    {
        // 0.5 * 3 + 2 * (-1) = -0.5
        Assert.Equal(-0.5, Scalarization.Rank([0.5, 2], [3, -1]));
    }

    [Fact]
    public void Rank_ZeroWeight_ScoreIgnored()
    {
        Assert.Equal(4.0, Scalarization.Rank([0, 1], [1000, 4]));
    }

    [Fact]
    public void Rank_OneScoreOneWeight_ScaledScore()
    {
        Assert.Equal(-6.0, Scalarization.Rank([3], [-2]));
    }
}
