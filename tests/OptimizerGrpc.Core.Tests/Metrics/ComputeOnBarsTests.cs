using OptimizerGrpc.Core.Metrics;

namespace OptimizerGrpc.Core.Tests.Metrics;

public sealed class ComputeOnBarsTests
{
    private static readonly MetricSettings Settings = new(RiskFreeRate: 0.03, AnnualizationFactor: 252);

    private static readonly string[] PathMetrics =
    [
        "total_return", "annualized_return", "annualized_volatility", "max_drawdown", "max_drawdown_duration",
        "sharpe_ratio", "sortino_ratio", "calmar_ratio",
    ];

    [Fact]
    public void ComputeOnBars_WholeSeriesSegment_EqualsCompute()
    {
        var series = RandomSeries(300, seed: 1);

        var whole = MetricCalculator.Compute(series, Settings);
        var onBars = MetricCalculator.ComputeOnBars(series, [(0, 300)], Settings);

        Assert.Equal(whole.ToArray(), onBars.ToArray());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void ComputeOnBars_Segments_EqualComputeOnIndependentlyChainedReturns(int seed)
    {
        var series = RandomSeries(500, seed);
        (long Start, long End)[] segments = [(40, 120), (200, 260), (400, 480)];

        // Independently: bar t's return E_t / E_{t-1} - 1 for every t in a segment, chained from 1.
        var chained = new List<double> { 1 };
        foreach (var (start, end) in segments)
        {
            for (var t = start; t < end; t++)
            {
                chained.Add(chained[^1] * series.Equity[t] / series.Equity[t - 1]);
            }
        }

        var expected = MetricCalculator.Compute(new BacktestSeries([.. chained], []), Settings);
        var actual = MetricCalculator.ComputeOnBars(series, segments, Settings);

        foreach (var name in PathMetrics)
        {
            Assert.Equal(expected[name], actual[name], 1e-9);
        }

        bool Inside(long bar) => segments.Any(s => bar >= s.Start && bar < s.End);
        var inScope = series.Trades.Where(t => Inside(t.EntryBar)).ToList();
        Assert.Equal(inScope.Count, actual["trades"]);
        Assert.Equal(inScope.Average(t => t.Return), actual["expectancy"], 1e-12);
        Assert.Equal(inScope.Count(t => t.Pnl > 0) / (double)inScope.Count, actual["win_rate"], 1e-12);
        var heldBars = segments.Sum(s => Enumerable.Range((int)s.Start, (int)(s.End - s.Start)).Count(b => series.Position![b] != 0));
        Assert.Equal(heldBars / (double)segments.Sum(s => s.End - s.Start), actual["exposure"], 1e-12);
    }

    [Fact]
    public void ComputeOnBars_UnsortedOverlappingSegments_SameAsMerged()
    {
        var series = RandomSeries(200, seed: 5);

        var merged = MetricCalculator.ComputeOnBars(series, [(10, 90), (120, 150)], Settings);
        var messy = MetricCalculator.ComputeOnBars(series, [(120, 150), (50, 90), (10, 60), (130, 140), (70, 70)], Settings);

        Assert.Equal(merged.ToArray(), messy.ToArray());
    }

    [Fact]
    public void ComputeOnBars_SegmentPastTheEnd_IsClipped()
    {
        var series = RandomSeries(100, seed: 6);

        Assert.Equal(
            MetricCalculator.ComputeOnBars(series, [(60, 100)], Settings).ToArray(),
            MetricCalculator.ComputeOnBars(series, [(60, 5000)], Settings).ToArray());
    }

    [Fact]
    public void ComputeOnBars_OnlyBarZero_NoReturnsSoPathMetricsZeroButTradeEnteredThereCounts()
    {
        TradeRecord[] trades = [new(0, 2, TradeSide.Long, 1, 100, 99, -0.01, -1), new(1, 2, TradeSide.Long, 1, 1, 1, 0.5, 5)];
        var series = new BacktestSeries([100, 110, 99], trades);

        var values = MetricCalculator.ComputeOnBars(series, [(0, 1)], Settings);

        Assert.All(PathMetrics, name => Assert.Equal(0, values[name]));
        Assert.Equal(1, values["trades"]);
        Assert.Equal(-0.01, values["expectancy"]);
        Assert.Equal(1, values["exposure"]);
    }

    [Fact]
    public void ComputeOnBars_NoSegments_EverythingZero()
    {
        var values = MetricCalculator.ComputeOnBars(RandomSeries(50, seed: 7), [], Settings);

        Assert.All(values, pair => Assert.Equal(0, pair.Value));
    }

    [Fact]
    public void ComputeOnBars_TradeSpansWithoutPosition_ExposureIsOverlapWithSegments()
    {
        // Trade holds bars [2, 8); segments cover bars 0..3 and 6..9: held 2, 3, 6, 7 of 8 bars.
        TradeRecord[] trades = [new(2, 8, TradeSide.Short, 1, 1, 1, 0, 0)];
        var series = new BacktestSeries(Enumerable.Repeat(100.0, 12).ToArray(), trades);

        var values = MetricCalculator.ComputeOnBars(series, [(0, 4), (6, 10)], Settings);

        Assert.Equal(0.5, values["exposure"]);
    }

    [Fact]
    public void ComputeOnBars_SegmentEndBeforeStart_ThrowsNamingTheSegment()
    {
        var ex = Assert.Throws<MetricInputException>(
            () => MetricCalculator.ComputeOnBars(RandomSeries(50, seed: 8), [(0, 10), (20, 15)], Settings));

        Assert.Equal("segments[1]", ex.Field);
        Assert.Equal("segments[1] is [20, 15), it needs 0 <= start <= end", ex.Message);
    }

    /// <summary>A random walk with long/short/flat position runs and one trade per run.</summary>
    private static BacktestSeries RandomSeries(int bars, int seed)
    {
        var random = new Random(seed);
        var equity = new double[bars];
        var position = new double[bars];
        var trades = new List<TradeRecord>();
        equity[0] = 1000;
        var entry = 0;
        for (var t = 1; t < bars; t++)
        {
            equity[t] = equity[t - 1] * (1 + ((random.NextDouble() - 0.5) * 0.04));
            position[t] = random.Next(10) == 0 ? random.Next(-1, 2) : position[t - 1];
            if (position[t] != position[t - 1] || t == bars - 1)
            {
                if (position[t - 1] != 0)
                {
                    var side = position[t - 1] > 0 ? TradeSide.Long : TradeSide.Short;
                    trades.Add(new TradeRecord(entry, t, side, 1, 1, 1, (equity[t] / equity[entry]) - 1, equity[t] - equity[entry]));
                }

                entry = t;
            }
        }

        return new BacktestSeries(equity, trades, Position: position);
    }
}
