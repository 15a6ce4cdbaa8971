namespace OptimizerGrpc.Trading.Tests.Backtesting;

public sealed class PerformanceStatsTests
{
    [Fact]
    public void SharpeRatio_HandComputed_MatchesFormula()
    {
        // Returns +0.1, -0.1, +0.1: mean 1/30, sample std sqrt(1/75); Sharpe 1994: mean/std*sqrt(252) = sqrt(75*252)/30.
        var sharpe = PerformanceStats.SharpeRatio([1, 1.1, 0.99, 1.089]);

        Assert.Equal(Math.Sqrt(75.0 * 252) / 30, sharpe, 9);
    }

    [Fact]
    public void SharpeRatio_RiskFreeEqualToMeanReturn_IsZero()
    {
        // Annual 8.4 over 252 bars is 1/30 per bar, the mean return.
        Assert.Equal(0, PerformanceStats.SharpeRatio([1, 1.1, 0.99, 1.089], 252, 8.4), 9);
    }

    [Fact]
    public void SharpeRatio_CustomAnnualization_ScalesBySquareRoot()
    {
        double[] equity = [1, 1.1, 0.99, 1.089];

        var ratio = PerformanceStats.SharpeRatio(equity, 12) / PerformanceStats.SharpeRatio(equity, 252);

        Assert.Equal(Math.Sqrt(12.0 / 252), ratio, 12);
    }

    [Theory]
    [InlineData(new[] { 1.0, 1.0, 1.0 })]
    [InlineData(new[] { 1.0, 1.1 })]
    [InlineData(new double[0])]
    public void SharpeRatio_ZeroStdOrTooShort_IsZero(double[] equity)
    {
        Assert.Equal(0, PerformanceStats.SharpeRatio(equity));
    }

    [Fact]
    public void MaxDrawdown_LargestFallFromPeak()
    {
        Assert.Equal(0.5, PerformanceStats.MaxDrawdown([1, 2, 1, 3, 1.5]), 12);
        Assert.Equal(0.8, PerformanceStats.MaxDrawdown([1, 2, 1.5, 3, 0.6]), 12);
        Assert.Equal(0, PerformanceStats.MaxDrawdown([1, 2, 3]));
    }

    [Fact]
    public void TotalReturn_FinalOverInitial()
    {
        Assert.Equal(0.5, PerformanceStats.TotalReturn([2, 1, 3]), 12);
    }
}
