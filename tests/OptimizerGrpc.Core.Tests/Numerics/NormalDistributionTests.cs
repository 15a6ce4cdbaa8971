using OptimizerGrpc.Core.Numerics;

namespace OptimizerGrpc.Core.Tests.Numerics;

public sealed class NormalDistributionTests
{
    [Theory]
    [InlineData(0.5, 0.4795001221869535)]
    [InlineData(2.0, 0.004677734981047265)]
    [InlineData(3.0, 2.2090496998585438e-05)]
    [InlineData(5.0, 1.5374597944280351e-12)]
    [InlineData(-1.0, 1.842700792949715)]
    public void Erfc_MatchesReferenceValues(double x, double expected)
    {
        // References from CPython's math.erfc.
        Assert.Equal(1.0, NormalDistribution.Erfc(x) / expected, 13);
    }

    [Theory]
    [InlineData(1.0, 0.8413447460685429)]
    [InlineData(0.0, 0.5)]
    [InlineData(-1.959963984540054, 0.025)]
    [InlineData(-0.5, 0.3085375387259869)]
    public void Cdf_KnownValues_MatchToWithin1e15(double z, double expected)
    {
        // R: pnorm(z).
        Assert.Equal(expected, NormalDistribution.Cdf(z), 15);
    }

    [Theory]
    [InlineData(-5.0, 2.866515718791939e-07)]
    [InlineData(-10.0, 7.619853024160593e-24)]
    public void Cdf_FarTail_KeepsRelativePrecision(double z, double expected)
    {
        // CPython: 0.5 * math.erfc(-z / sqrt(2)); erfc carries the tail, so 1 - Φ(-z) never cancels.
        Assert.Equal(1.0, NormalDistribution.Cdf(z) / expected, 13);
    }

    [Theory]
    [InlineData(0.975, 1.959963984540054)]
    [InlineData(0.5, 0.0)]
    [InlineData(0.3, -0.5244005127080407)]
    [InlineData(0.001, -3.090232306167813)]
    [InlineData(1e-10, -6.361340902404056)]
    [InlineData(1e-300, -37.0470962993612)]
    public void InverseCdf_KnownValues_MatchToFullPrecision(double p, double expected)
    {
        // R: qnorm(p); CPython's statistics.NormalDist().inv_cdf agrees to the last digit.
        Assert.Equal(expected, NormalDistribution.InverseCdf(p), 14);
    }

    [Theory]
    [InlineData(1e-12)]
    [InlineData(0.01)]
    [InlineData(0.2)]
    [InlineData(0.425)]
    [InlineData(0.9)]
    [InlineData(0.999)]
    public void InverseCdf_ThenCdf_ReturnsProbability(double p)
    {
        Assert.Equal(1.0, NormalDistribution.Cdf(NormalDistribution.InverseCdf(p)) / p, 13);
    }

    [Fact]
    public void InverseCdf_Bounds_AreInfiniteAndOutsideIsNaN()
    {
        Assert.Equal(double.NegativeInfinity, NormalDistribution.InverseCdf(0));
        Assert.Equal(double.PositiveInfinity, NormalDistribution.InverseCdf(1));
        Assert.True(double.IsNaN(NormalDistribution.InverseCdf(-0.1)));
        Assert.True(double.IsNaN(NormalDistribution.InverseCdf(1.1)));
        Assert.True(double.IsNaN(NormalDistribution.InverseCdf(double.NaN)));
    }
}
