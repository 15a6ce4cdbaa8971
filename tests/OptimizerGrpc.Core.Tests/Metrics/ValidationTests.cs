using OptimizerGrpc.Core.Metrics;

namespace OptimizerGrpc.Core.Tests.Metrics;

public sealed class ValidationTests
{
    private static readonly double[] Equity = [100, 101, 102, 103];

    [Fact]
    public void Compute_NegativeEquity_NamesIndexAndValue()
    {
        var equity = Enumerable.Repeat(100.0, 20).ToArray();
        equity[17] = -3;

        var ex = Assert.Throws<MetricInputException>(() => Compute(new BacktestSeries(equity, [])));

        Assert.Equal("record.equity[17]", ex.Field);
        Assert.Equal("record.equity[17] is -3, equity must be > 0", ex.Message);
    }

    [Theory]
    [InlineData(double.NaN, "record.equity[2] is NaN, equity must be finite")]
    [InlineData(double.PositiveInfinity, "record.equity[2] is Infinity, equity must be finite")]
    [InlineData(0.0, "record.equity[2] is 0, equity must be > 0")]
    public void Compute_BadEquityValue_Rejected(double value, string message)
    {
        var ex = Assert.Throws<MetricInputException>(() => Compute(new BacktestSeries([100, 101, value, 103], [])));

        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void Compute_BadValueAnywhere_FoundAtItsIndex()
    {
        // 37 bars: vector chunks and a scalar tail, whatever the vector width.
        for (var bad = 0; bad < 37; bad++)
        {
            var equity = Enumerable.Repeat(100.0, 37).ToArray();
            equity[bad] = double.NaN;
            var timestamps = Enumerable.Range(0, 37).Select(i => 1000L * i).ToArray();
            timestamps[bad] = bad == 0 ? 5000 : timestamps[bad - 1];
            var position = new double[37];
            position[bad] = double.NegativeInfinity;

            Assert.Equal($"record.equity[{bad}]", Assert.Throws<MetricInputException>(() => Compute(new BacktestSeries(equity, []))).Field);
            Assert.Equal(
                $"record.timestamps_unix_ms[{Math.Max(bad, 1)}]",
                Assert.Throws<MetricInputException>(() => Compute(new BacktestSeries(Enumerable.Repeat(1.0, 37).ToArray(), [], timestamps))).Field);
            Assert.Equal(
                $"record.position[{bad}]",
                Assert.Throws<MetricInputException>(() => Compute(new BacktestSeries(Enumerable.Repeat(1.0, 37).ToArray(), [], Position: position))).Field);
        }
    }

    [Fact]
    public void Compute_OneEquityValue_Rejected()
    {
        var ex = Assert.Throws<MetricInputException>(() => Compute(new BacktestSeries([100], [])));

        Assert.Equal("record.equity has 1 values, at least 2 are needed", ex.Message);
    }

    [Fact]
    public void Compute_TimestampsShort_Rejected()
    {
        var ex = Assert.Throws<MetricInputException>(() => Compute(new BacktestSeries(Equity, [], [1, 2, 3])));

        Assert.Equal("record.timestamps_unix_ms has 3 values but equity has 4; they must be equal", ex.Message);
    }

    [Fact]
    public void Compute_TimestampsNotIncreasing_NamesIndex()
    {
        var ex = Assert.Throws<MetricInputException>(() => Compute(new BacktestSeries(Equity, [], [10, 20, 20, 30])));

        Assert.Equal("record.timestamps_unix_ms[2]", ex.Field);
        Assert.Equal("record.timestamps_unix_ms[2] is 20, timestamps must increase (the previous is 20)", ex.Message);
    }

    [Fact]
    public void Compute_PositionWrongLengthOrNaN_Rejected()
    {
        Assert.Equal(
            "record.position",
            Assert.Throws<MetricInputException>(() => Compute(new BacktestSeries(Equity, [], Position: [0, 1]))).Field);
        Assert.Equal(
            "record.position[1]",
            Assert.Throws<MetricInputException>(() => Compute(new BacktestSeries(Equity, [], Position: [0, double.NaN, 0, 0]))).Field);
    }

    [Fact]
    public void Compute_TradeExitBeforeEntry_NamesTradeField()
    {
        TradeRecord[] trades = [new(0, 1, TradeSide.Long, 1, 1, 1, 0, 0), new(2, 1, TradeSide.Long, 1, 1, 1, 0, 0)];

        var ex = Assert.Throws<MetricInputException>(() => Compute(new BacktestSeries(Equity, trades)));

        Assert.Equal("record.trades[1].exit_bar is 1, it must be in [entry_bar 2, 3]", ex.Message);
    }

    [Fact]
    public void Compute_TradeOutsideSeriesOrUnspecifiedSide_Rejected()
    {
        TradeRecord[] late = [new(4, 4, TradeSide.Long, 1, 1, 1, 0, 0)];
        TradeRecord[] sideless = [new(0, 1, default, 1, 1, 1, 0, 0)];

        Assert.Equal("record.trades[0].entry_bar", Assert.Throws<MetricInputException>(() => Compute(new BacktestSeries(Equity, late))).Field);
        Assert.Equal("record.trades[0].side", Assert.Throws<MetricInputException>(() => Compute(new BacktestSeries(Equity, sideless))).Field);
    }

    [Fact]
    public void MetricSettings_OutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MetricSettings(AnnualizationFactor: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MetricSettings(RiskFreeRate: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => MetricSettings.Default with { AnnualizationFactor = double.NaN });
    }

    private static MetricValues Compute(BacktestSeries series) => MetricCalculator.Compute(series, MetricSettings.Default);
}
