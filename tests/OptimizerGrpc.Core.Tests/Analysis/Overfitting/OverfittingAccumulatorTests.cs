using OptimizerGrpc.Core.Analysis.Overfitting;
using OptimizerGrpc.Core.Numerics;

namespace OptimizerGrpc.Core.Tests.Analysis.Overfitting;

public sealed class OverfittingAccumulatorTests
{
    private const double Spread = 0.01;

    // √(31/32): a series of 32 returns a ± d has mean a and sample standard deviation d·√(32/31), so a Sharpe ratio of
    // (a / d)·√(31/32).
    private static readonly double Root = Math.Sqrt(31.0 / 32);

    /// <summary>32 returns alternating <paramref name="mean"/> + 0.01 and <paramref name="mean"/> − 0.01: two per block,
    /// so every union of blocks has the same mean and spread, zero skewness and a (non-excess) kurtosis of 1.</summary>
    private static TrialReturns Trial(double mean) =>
        new(BlockReturns.FromReturns([.. Enumerable.Range(0, 32).Select(t => mean + (t % 2 == 0 ? Spread : -Spread))]), null);

    [Fact]
    public void Build_ThreeTrials_NIsTheirCountAndVTheSampleVarianceOfTheirSharpeRatios()
    {
        var accumulator = new OverfittingAccumulator(new OverfittingOptions(), 3);
        accumulator.Offer(Trial(0.001), false);
        accumulator.Offer(Trial(0.003), true);
        accumulator.Offer(Trial(0.002), false);

        var winner = accumulator.Build().Winner!;

        // Sharpe ratios 0.1·√(31/32), 0.3·√(31/32), 0.2·√(31/32): mean 0.2·√(31/32), deviations ±0.1·√(31/32) and 0, so
        // V = (0.01 + 0.01) / 2 × 31/32 = 0.0096875.
        Assert.Equal(3, winner.Trials);
        Assert.Equal(0.0096875, winner.SharpeVariance, 15);
        Assert.Equal(32, winner.Periods);
        Assert.Equal(0.3 * Root, winner.SharpeRatio, 12);
        Assert.Equal(0.3 * Root * Math.Sqrt(252), winner.AnnualizedSharpeRatio, 12);
        Assert.Equal(0, winner.Skewness, 9);
        Assert.Equal(1, winner.Kurtosis, 9);
    }

    [Fact]
    public void Build_ThreeTrials_PsrDsrAndMinTrlByTheirFormulas()
    {
        var accumulator = new OverfittingAccumulator(new OverfittingOptions(), 3);
        accumulator.Offer(Trial(0.001), false);
        accumulator.Offer(Trial(0.003), true);
        accumulator.Offer(Trial(0.002), false);

        var winner = accumulator.Build().Winner!;

        // Skewness 0 and kurtosis 1 make the variance term 1 − 0·SR + (1 − 1)/4·SR² = 1: PSR = Φ(SR·√(T − 1)),
        // DSR = Φ((SR − SR0)·√(T − 1)) with SR0 = √V·E[max of 3 standard normals], MinTRL = 1 + (z₀.₉₅ / SR)².
        double sr = 0.3 * Root;
        double sr0 = Math.Sqrt(0.0096875) * SharpeStatistics.ExpectedMaximumOfStandardNormals(3);
        Assert.Equal(sr0, winner.ExpectedMaxSharpe, 12);
        Assert.Equal(NormalDistribution.Cdf(sr * Math.Sqrt(31)), winner.ProbabilisticSharpeRatio, 9);
        Assert.Equal(NormalDistribution.Cdf((sr - sr0) * Math.Sqrt(31)), winner.DeflatedSharpeRatio, 9);
        Assert.True(winner.DeflatedSharpeRatio < winner.ProbabilisticSharpeRatio);
        double z = NormalDistribution.InverseCdf(0.95) / sr;
        Assert.Equal(1 + (z * z), winner.MinTrackRecordLength, 6);
        Assert.Equal(SharpeStatistics.MinimumBacktestLength(3, sr * Math.Sqrt(252)), winner.MinBacktestLengthYears, 12);
    }

    [Fact]
    public void Build_FlatTrial_LeftOutOfNAndV()
    {
        var accumulator = new OverfittingAccumulator(new OverfittingOptions(), 4);
        accumulator.Offer(Trial(0.001), false);
        accumulator.Offer(new TrialReturns(BlockReturns.FromReturns(new double[32]), null), false); // 0 / 0: NaN
        accumulator.Offer(Trial(0.003), true);
        accumulator.Offer(Trial(0.002), false);

        var winner = accumulator.Build().Winner!;

        Assert.Equal(3, winner.Trials);
        Assert.Equal(0.0096875, winner.SharpeVariance, 15);
    }

    [Fact]
    public void Build_NothingOffered_ValuesOnlyReasonForBothStatistics()
    {
        var report = new OverfittingAccumulator(new OverfittingOptions(), 0).Build();

        Assert.Null(report.Winner);
        Assert.Null(report.Pbo);
        Assert.Equal(
            ["winner statistics: " + OverfittingAccumulator.ValuesOnly, "probability of backtest overfitting: " + OverfittingAccumulator.ValuesOnly],
            report.Unavailable);
    }

    [Fact]
    public void Build_WinnerWithoutRecord_SaysSo()
    {
        var accumulator = new OverfittingAccumulator(new OverfittingOptions(), 2);
        accumulator.Offer(Trial(0.001), false);
        accumulator.Offer(Trial(0.002), false);

        var report = accumulator.Build();

        Assert.Null(report.Winner);
        Assert.Equal(
            ["winner statistics: the winner has no backtest record", "probability of backtest overfitting: the winner has no backtest record"],
            report.Unavailable);
    }

    [Fact]
    public void Build_WinnerAlone_NoDsrAndNoPboWithTheirReasons()
    {
        var accumulator = new OverfittingAccumulator(new OverfittingOptions(), 1);
        accumulator.Offer(Trial(0.003), true);

        var report = accumulator.Build();

        Assert.Equal(1, report.Winner!.Trials);
        Assert.True(double.IsNaN(report.Winner.DeflatedSharpeRatio));
        Assert.Null(report.Pbo);
        Assert.Equal(
            ["deflated Sharpe ratio: it needs at least 2 completed trials with records", "probability of backtest overfitting: it needs at least 2 completed trials with records"],
            report.Unavailable);
    }

    // Stride ⌈50 / 9⌉ = 6: trials 0, 6, 12, ... enter while fewer than 9 are kept, and the winner always enters.
    [Theory]
    [InlineData(3, 9, 1)] // 0, 3, 6, ..., 42: nine kept when 48 comes
    [InlineData(25, 9, 5)] // 0, 6, 12, 18, 24, 25, 30, 36, 42
    [InlineData(48, 9, 8)] // 0, 6, ..., 48: the winner is itself a sampled trial
    [InlineData(49, 10, 9)] // 0, 6, ..., 48, 49: after the nine
    public void Build_FiftyTrialsCappedAtTen_AtMostTenSampledAndTheWinnerAlwaysAmongThem(int winnerAt, int sampled, int winnerIndex)
    {
        var accumulator = new OverfittingAccumulator(new OverfittingOptions(PboMaxTrials: 10), 50);
        for (int i = 0; i < 50; i++)
        {
            // Trial i has mean 0.0001·i; the winner's 0.05 makes it the in-sample best of every split.
            accumulator.Offer(Trial(i == winnerAt ? 0.05 : 0.0001 * i), i == winnerAt);
        }

        var report = accumulator.Build();

        var pbo = report.Pbo!;
        Assert.Equal(sampled, pbo.TrialCount);
        Assert.All(pbo.Splits, s => Assert.Equal(winnerIndex, s.SelectedTrial));
        Assert.Equal(0, pbo.Probability); // the dominant trial is also best out of sample
        Assert.Equal(50, report.Winner!.Trials); // N counts every trial offered, not only the sample
    }

    [Fact]
    public void Merge_SixteenBlocksIntoFour_EachIsTheUnionOfAQuarter()
    {
        var stored = BlockReturns.FromReturns([.. Enumerable.Range(0, 64).Select(t => (double)((t * 7 % 11) - 5))]);

        var merged = OverfittingAccumulator.Merge(stored, 4);

        Assert.Equal(4, merged.BlockCount);
        Assert.Equal(Enumerable.Range(0, 4).Select(q => stored.Union(0xF << (4 * q))), Enumerable.Range(0, 4).Select(q => merged[q]));
        // Integer returns sum exactly: the quarters are the blocks of 16 returns cut directly.
        var direct = BlockReturns.FromReturns([.. Enumerable.Range(0, 64).Select(t => (double)((t * 7 % 11) - 5))], blockCount: 4);
        Assert.Equal(Enumerable.Range(0, 4).Select(q => direct[q]), Enumerable.Range(0, 4).Select(q => merged[q]));
    }

    [Fact]
    public void Merge_SameBlockCount_TheStoredSummary()
    {
        var stored = Trial(0.001).Blocks;

        Assert.Same(stored, OverfittingAccumulator.Merge(stored, 16));
    }

    [Fact]
    public void Merge_CountNotDividingTheStoredBlocks_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => OverfittingAccumulator.Merge(Trial(0.001).Blocks, 6));

        Assert.StartsWith("6 blocks do not divide the 16 stored blocks", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(16, 1000, new string[0])]
    [InlineData(6, 1000, new[] { "pbo_blocks must be 2, 4, 8 or 16, got 6" })]
    [InlineData(2, 1, new[] { "pbo_max_trials must be between 2 and 10000, got 1" })]
    [InlineData(32, 10_001, new[] { "pbo_blocks must be 2, 4, 8 or 16, got 32", "pbo_max_trials must be between 2 and 10000, got 10001" })]
    public void Violations_OptionsOutOfRange_OnePerSetting(int blocks, int maxTrials, string[] expected)
    {
        Assert.Equal(expected, new OverfittingOptions(blocks, maxTrials).Violations());
    }
}
