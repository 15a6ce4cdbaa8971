namespace OptimizerGrpc.Trading.Tests.Backtesting;

public sealed class MovingAverageSweepTests
{
    private static readonly PriceSeries Nyse = new CsvDataHandler().Load(SampleData.PathOf("nyse_composite_daily_1966_2002.csv"));

    [Theory]
    [InlineData(10, 50, false, 0.0)]
    [InlineData(5, 200, true, 0.0)]
    [InlineData(2, 3, true, 0.001)]
    [InlineData(30, 31, false, 0.002)]
    public void Evaluate_MatchesRulePlusBacktester(int fast, int slow, bool allowShort, double commission)
    {
        var sweep = new MovingAverageSweep(Nyse.Close, commission);
        var expected = new Backtester(commission: commission).Run(Nyse.Close, new MovingAverageCrossoverRule(fast, slow, allowShort));

        var score = sweep.Evaluate(fast, slow, allowShort);

        Assert.Equal(expected.Trades.Count, score.TradeCount);
        Assert.Equal(expected.SharpeRatio(), score.SharpeRatio, 9);
        Assert.Equal(expected.TotalReturn, score.TotalReturn, 1e-9 * Math.Max(1, Math.Abs(expected.TotalReturn)));
        Assert.Equal(expected.MaxDrawdown, score.MaxDrawdown, 9);
    }

    [Fact]
    public void EvaluateGrid_CoversEveryOrderedPair()
    {
        var sweep = new MovingAverageSweep(Nyse.Close);

        var scores = sweep.EvaluateGrid(2, 4, 3, 5);

        Assert.Equal([(2, 3), (2, 4), (2, 5), (3, 4), (3, 5), (4, 5)], scores.Select(s => (s.Fast, s.Slow)));
        Assert.Equal(sweep.Evaluate(3, 5).SharpeRatio, scores[4].SharpeRatio);
    }

    [Fact]
    public void Evaluate_InvalidWindows_Throws()
    {
        var sweep = new MovingAverageSweep([1, 2, 3]);

        Assert.Throws<ArgumentOutOfRangeException>(() => sweep.Evaluate(3, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => sweep.Evaluate(1, 4));
    }
}
