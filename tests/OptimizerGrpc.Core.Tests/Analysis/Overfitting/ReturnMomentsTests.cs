using OptimizerGrpc.Core.Analysis.Overfitting;

namespace OptimizerGrpc.Core.Tests.Analysis.Overfitting;

public sealed class ReturnMomentsTests
{
    // r = 1, 2, 3, 4, 10: mean 4, deviations -3, -2, -1, 0, 6. Σd² = 50, Σd³ = 180, Σd⁴ = 1394, so the sample
    // variance is 50/4 = 12.5, m2 = 10, m3 = 36, m4 = 278.8: skewness 36 / 10^1.5, kurtosis 278.8 / 100 = 2.788.
    private static readonly double[] Series = [1, 2, 3, 4, 10];

    [Fact]
    public void FromReturns_SmallSeries_GivesHandComputedMoments()
    {
        var moments = ReturnMoments.FromReturns(Series);

        Assert.Equal(5, moments.Count);
        Assert.Equal(4.0, moments.Mean, 15);
        Assert.Equal(Math.Sqrt(12.5), moments.StandardDeviation, 14);
        Assert.Equal(36 / Math.Pow(10, 1.5), moments.Skewness, 14);
        Assert.Equal(2.788, moments.Kurtosis, 14);
        Assert.Equal(4 / Math.Sqrt(12.5), moments.SharpeRatio(), 14);
    }

    [Fact]
    public void SharpeRatio_WithRiskFree_SubtractsItFromTheMean()
    {
        var moments = ReturnMoments.FromReturns(Series);

        Assert.Equal(3 / Math.Sqrt(12.5), moments.SharpeRatio(riskFreePerPeriod: 1), 14);
    }

    [Fact]
    public void FromSums_SameSeries_MatchesFromReturns()
    {
        var direct = ReturnMoments.FromReturns(Series);
        var pooled = ReturnMoments.FromSums(ReturnSums.FromReturns(Series.AsSpan(0, 2)) + ReturnSums.FromReturns(Series.AsSpan(2)));

        Assert.Equal(direct.Count, pooled.Count);
        Assert.Equal(direct.Mean, pooled.Mean, 13);
        Assert.Equal(direct.StandardDeviation, pooled.StandardDeviation, 13);
        Assert.Equal(direct.Skewness, pooled.Skewness, 13);
        Assert.Equal(direct.Kurtosis, pooled.Kurtosis, 13);
    }

    [Fact]
    public void SharpeRatio_OfSums_MatchesMoments()
    {
        var sums = ReturnSums.FromReturns(Series);

        Assert.Equal(ReturnMoments.FromReturns(Series).SharpeRatio(0.5), sums.SharpeRatio(0.5), 14);
    }

    [Fact]
    public void FromReturns_OneReturn_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => ReturnMoments.FromReturns([0.01]));

        Assert.Contains("at least 2", error.Message);
    }

    [Fact]
    public void SharpeRatio_FlatSeries_IsNaN()
    {
        Assert.True(double.IsNaN(ReturnSums.FromReturns([0.0, 0.0, 0.0]).SharpeRatio()));
        Assert.True(double.IsNaN(ReturnMoments.FromReturns([0.0, 0.0, 0.0]).SharpeRatio()));
    }
}
