using OptimizerGrpc.Core.Analysis.Overfitting;

namespace OptimizerGrpc.Core.Tests.Analysis.Overfitting;

public sealed class SharpeStatisticsTests
{
    private const double Tolerance = 1e-6;

    [Fact]
    public void ProbabilisticSharpeRatio_PaperExample_Is0913234()
    {
        // Bailey and López de Prado 2012: a hedge fund index, 24 monthly returns, annualised SR 1.585, skewness
        // -2.448, kurtosis 10.164; PSR(0) = 0.913234.
        double psr = SharpeStatistics.ProbabilisticSharpeRatio(1.585 / Math.Sqrt(12), 0, 24, -2.448, 10.164);

        Assert.Equal(0.913234, psr, Tolerance);
    }

    [Fact]
    public void ExpectedMaximumOfStandardNormals_100Trials_Is2530603()
    {
        Assert.Equal(2.530603, SharpeStatistics.ExpectedMaximumOfStandardNormals(100), Tolerance);
    }

    [Fact]
    public void ExpectedMaximumOfStandardNormals_OneTrial_IsZero()
    {
        Assert.Equal(0, SharpeStatistics.ExpectedMaximumOfStandardNormals(1));
    }

    [Fact]
    public void DeflatedSharpeRatio_PaperExample_Is0900397()
    {
        // Bailey and López de Prado 2014: N = 100 trials whose annualised Sharpe ratios have variance 0.5, daily data
        // (250 a year) over 5 years, the selected trial's annualised SR 2.5, skewness -3, kurtosis 10.
        double variance = 0.5 / 250;

        double threshold = SharpeStatistics.DeflatedSharpeThreshold(100, variance);
        double dsr = SharpeStatistics.DeflatedSharpeRatio(2.5 / Math.Sqrt(250), 1250, -3, 10, 100, variance);

        Assert.Equal(0.113172, threshold, Tolerance);
        Assert.Equal(0.900397, dsr, Tolerance);
    }

    [Fact]
    public void DeflatedSharpeRatio_OneTrial_IsPsrAgainstZero()
    {
        double sr = 0.1;

        Assert.Equal(
            SharpeStatistics.ProbabilisticSharpeRatio(sr, 0, 500, 0, 3),
            SharpeStatistics.DeflatedSharpeRatio(sr, 500, 0, 3, trials: 1, sharpeVariance: 0.01),
            15);
    }

    [Fact]
    public void MinimumBacktestLength_45Trials_Is4998087Years()
    {
        // Bailey, Borwein, López de Prado and Zhu 2014: after 45 independent trials, a backtest shorter than about
        // 5 years will show an annualised SR of 1 by chance alone.
        Assert.Equal(4.998087, SharpeStatistics.MinimumBacktestLength(45, 1), Tolerance);
    }

    [Fact]
    public void MinimumTrackRecordLength_NormalReturns_GivesHandComputedValue()
    {
        // SR = 0.5 per period, SR* = 0, γ3 = 0, γ4 = 3: the variance term is 1 + 2/4·0.25 = 1.125, and
        // z_0.95 = 1.6448536269514722, so MinTRL = 1 + 1.125·(z / 0.5)² = 1 + 4.5·z² = 13.174945543429318.
        double minTrl = SharpeStatistics.MinimumTrackRecordLength(0.5, 0, 0, 3);

        Assert.Equal(13.174945543429318, minTrl, 1e-12);
    }

    [Fact]
    public void MinimumTrackRecordLength_AtThatLength_PsrReachesConfidence()
    {
        double sr = 1.585 / Math.Sqrt(12), benchmark = 0.1;
        double minTrl = SharpeStatistics.MinimumTrackRecordLength(sr, benchmark, -2.448, 10.164, 0.9);

        // PSR takes T as an integer; the identity holds for the real-valued T the formula inverts, checked here
        // through the same expression PSR evaluates.
        double varianceTerm = 1 + (2.448 * sr) + (9.164 / 4 * sr * sr);
        double z = (sr - benchmark) * Math.Sqrt(minTrl - 1) / Math.Sqrt(varianceTerm);
        Assert.Equal(0.9, Core.Numerics.NormalDistribution.Cdf(z), 1e-12);
    }

    [Fact]
    public void MinimumTrackRecordLength_SharpeNotAboveBenchmark_IsInfinite()
    {
        Assert.Equal(double.PositiveInfinity, SharpeStatistics.MinimumTrackRecordLength(0.1, 0.1, 0, 3));
    }

    [Fact]
    public void ProbabilisticSharpeRatio_FromMoments_MatchesScalarOverload()
    {
        var moments = ReturnMoments.FromReturns([0.01, -0.02, 0.03, 0.015, -0.005, 0.02]);

        Assert.Equal(
            SharpeStatistics.ProbabilisticSharpeRatio(moments.SharpeRatio(), 0.05, 6, moments.Skewness, moments.Kurtosis),
            SharpeStatistics.ProbabilisticSharpeRatio(moments, 0.05),
            15);
    }

    [Fact]
    public void Guards_OutOfRange_StateTheAllowedRange()
    {
        Assert.Contains("at least 2", Assert.Throws<ArgumentOutOfRangeException>(() => SharpeStatistics.ProbabilisticSharpeRatio(0.1, 0, 1, 0, 3)).Message);
        Assert.Contains("at least 1", Assert.Throws<ArgumentOutOfRangeException>(() => SharpeStatistics.ExpectedMaximumOfStandardNormals(0)).Message);
        Assert.Contains("≥ 0", Assert.Throws<ArgumentOutOfRangeException>(() => SharpeStatistics.DeflatedSharpeThreshold(10, -1)).Message);
        Assert.Contains("(0, 1)", Assert.Throws<ArgumentOutOfRangeException>(() => SharpeStatistics.MinimumTrackRecordLength(0.5, 0, 0, 3, 1)).Message);
        Assert.Contains("> 0", Assert.Throws<ArgumentOutOfRangeException>(() => SharpeStatistics.MinimumBacktestLength(45, 0)).Message);
    }
}
