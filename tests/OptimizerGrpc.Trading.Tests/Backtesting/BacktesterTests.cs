namespace OptimizerGrpc.Trading.Tests.Backtesting;

public sealed class BacktesterTests
{
    private static readonly double[] Close = [1, 2, 3, 4, 3, 2, 1];
    private static readonly double[] LongRun = [0, 0, 1, 1, 1, 0, 0];

    [Fact]
    public void Run_LongRun_EquityCompoundsNextBarReturns()
    {
        // Position at t earns close[t+1]/close[t]-1: +1/3 (3->4), -1/4 (4->3), -1/3 (3->2).
        var result = new Backtester().Run(Close, LongRun);

        AssertClose([1, 1, 1, 4.0 / 3, 1, 2.0 / 3, 2.0 / 3], result.Equity);
        Assert.Equal(LongRun, result.Position);
    }

    [Fact]
    public void Run_LongRun_RecordsOneTrade()
    {
        var trade = Assert.Single(new Backtester().Run(Close, LongRun).Trades);

        Assert.Equal(2, trade.EntryBar);
        Assert.Equal(5, trade.ExitBar);
        Assert.Equal(TradeSide.Long, trade.Side);
        Assert.Equal(1, trade.Size);
        Assert.Equal(3, trade.EntryPrice);
        Assert.Equal(2, trade.ExitPrice);
        Assert.Equal(-1.0 / 3, trade.Return, 12);
        Assert.Equal(-1.0 / 3, trade.Pnl, 12);
    }

    [Fact]
    public void Run_WithCommission_ChargesPerUnitTurnover()
    {
        // 1% on entry at t=2 and on exit at t=5: 0.99*4/3 = 1.32, *0.75 = 0.99, *2/3 = 0.66, *0.99 = 0.6534.
        var result = new Backtester(initialCapital: 1, commission: 0.01).Run(Close, LongRun);

        AssertClose([1, 1, 1, 1.32, 0.99, 0.66, 0.6534], result.Equity);
    }

    [Fact]
    public void Run_FlipLongToShort_SplitsTradesAndShortProfitsFromFall()
    {
        // Short at t=5 earns -(1/2 - 1) = +0.5: equity 2/3 -> 1.
        var result = new Backtester(initialCapital: 100).Run(Close, [0, 0, 1, 1, 1, -1, -1]);

        Assert.Equal(100, result.Equity[5] * 1.5, 9);
        Assert.Equal(2, result.Trades.Count);
        var shortTrade = result.Trades[1];
        Assert.Equal((5, 6, TradeSide.Short), (shortTrade.EntryBar, shortTrade.ExitBar, shortTrade.Side));
        Assert.Equal(0.5, shortTrade.Return, 12);
        Assert.Equal(100.0 / 3, shortTrade.Pnl, 9);
    }

    [Fact]
    public void Run_HalfPosition_EarnsHalfTheReturn()
    {
        var result = new Backtester().Run([100, 110], [0.5, 0]);

        Assert.Equal(1.05, result.Equity[1], 12);
        Assert.Equal(0.5, Assert.Single(result.Trades).Size);
    }

    [Fact]
    public void Run_PositionOnLastBar_EarnsNothingAndOpensNoTrade()
    {
        var result = new Backtester().Run([1, 2, 4], [0, 0, 1]);

        Assert.Equal([1, 1, 1], result.Equity);
        Assert.Empty(result.Trades);
    }

    [Fact]
    public void Run_ChangingFutureCloses_DoesNotChangePastEquity()
    {
        // No look-ahead: equity up to bar k depends only on closes up to k and positions before k.
        var series = new CsvDataHandler().Load(SampleData.PathOf("nyse_composite_daily_1966_2002.csv"));
        var rule = new MovingAverageCrossoverRule(10, 50);
        const int k = 5000;
        var altered = (double[])series.Close.Clone();
        for (var t = k + 1; t < altered.Length; t++)
        {
            altered[t] *= t % 2 == 0 ? 1.5 : 0.5;
        }

        var original = new Backtester().Run(series.Close, rule);
        var changed = new Backtester().Run(altered, rule);

        Assert.Equal(original.Position[..(k + 1)], changed.Position[..(k + 1)]);
        Assert.Equal(original.Equity[..(k + 1)], changed.Equity[..(k + 1)]);
        Assert.NotEqual(original.Equity[k + 2], changed.Equity[k + 2]);
    }

    [Fact]
    public void Run_MismatchedLengths_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Backtester().Run([1, 2, 3], [0, 1]));
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-12, $"index {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
