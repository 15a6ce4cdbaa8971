using OptimizerGrpc.Core.Metrics;

namespace OptimizerGrpc.Core.Tests.Metrics;

public sealed class MetricCalculatorTests
{
    private const double Tolerance = 1e-12;

    // r = [+0.10, -0.10, +0.10, +0.10]: up 10%, down 10%, up 10% twice.
    private static readonly double[] Equity = [100, 110, 99, 108.9, 119.79];

    // Each trade spans [EntryBar, ExitBar): together bars 0..3 are held, bar 4 is not.
    private static readonly TradeRecord[] Trades =
    [
        new(0, 1, TradeSide.Long, 1, 100, 110, 0.10, 10),
        new(1, 2, TradeSide.Long, 1, 110, 99, -0.10, -11),
        new(2, 4, TradeSide.Long, 1, 99, 119.79, 0.21, 20.79),
    ];

    private static readonly MetricSettings Quarterly = new(AnnualizationFactor: 4);

    [Fact]
    public void Compute_HandSeries_ReturnAndRiskMetricsMatchHandValues()
    {
        var values = MetricCalculator.Compute(new BacktestSeries(Equity, Trades), Quarterly);

        // total_return = 119.79 / 100 - 1.
        Assert.Equal(0.1979, values["total_return"], Tolerance);
        // CAGR = (119.79 / 100)^(ppy 4 / 4 returns) - 1.
        Assert.Equal(0.1979, values["annualized_return"], Tolerance);
        // mean r = 0.2 / 4 = 0.05; squared deviations .0025 + .0225 + .0025 + .0025 = .03; var = .03 / 3 = .01;
        // std = 0.1; annualized = 0.1 * sqrt(4).
        Assert.Equal(0.2, values["annualized_volatility"], Tolerance);
        // Peak 110 at bar 1, trough 99 at bar 2: 1 - 99 / 110.
        Assert.Equal(0.1, values["max_drawdown"], Tolerance);
        // Peak at bar 1, first bar back at or above 110 is bar 4: 4 - 1.
        Assert.Equal(3, values["max_drawdown_duration"]);
        // Sharpe (1994): mean(r - 0) / std * sqrt(4) = 0.05 / 0.1 * 2.
        Assert.Equal(1.0, values["sharpe_ratio"], Tolerance);
        // Sortino & Price (1994): downside deviation = sqrt((0 + 0.01 + 0 + 0) / 4) = 0.05; 0.05 / 0.05 * 2.
        Assert.Equal(2.0, values["sortino_ratio"], Tolerance);
        // Calmar = annualized_return / max_drawdown = 0.1979 / 0.1.
        Assert.Equal(1.979, values["calmar_ratio"], Tolerance);
        Assert.Equal(4, values.AnnualizationFactorUsed);
        Assert.Equal(AnnualizationSource.Explicit, values.AnnualizationSource);
    }

    [Fact]
    public void Compute_RiskFreeRate_IsCompoundedPerBarAndSubtracted()
    {
        // Annual rf = 1.01^4 - 1 so that rf per bar = (1 + rf)^(1/4) - 1 = 0.01 exactly.
        var settings = new MetricSettings(RiskFreeRate: 0.04060401, AnnualizationFactor: 4);

        var values = MetricCalculator.Compute(new BacktestSeries(Equity, Trades), settings);

        // Sharpe: (0.05 - 0.01) / 0.1 * 2.
        Assert.Equal(0.8, values["sharpe_ratio"], Tolerance);
        // r - rf = [.09, -.11, .09, .09]; downside deviation = sqrt(.0121 / 4) = 0.055; 0.04 / 0.055 * 2 = 16 / 11.
        Assert.Equal(16.0 / 11.0, values["sortino_ratio"], Tolerance);
    }

    [Fact]
    public void Compute_HandSeries_TradeMetricsMatchHandValues()
    {
        var values = MetricCalculator.Compute(new BacktestSeries(Equity, Trades), Quarterly);

        Assert.Equal(3, values["trades"]);
        // Pnl > 0 wins: 10 and 20.79.
        Assert.Equal(2.0 / 3.0, values["win_rate"], Tolerance);
        // Gross profit 10 + 20.79 = 30.79, gross loss 11.
        Assert.Equal(30.79 / 11, values["profit_factor"], Tolerance);
        // Mean trade return (0.10 - 0.10 + 0.21) / 3.
        Assert.Equal(0.07, values["expectancy"], Tolerance);
        // Trade spans [0,1) [1,2) [2,4) cover bars 0..3 of 5.
        Assert.Equal(0.8, values["exposure"], Tolerance);
    }

    [Fact]
    public void Compute_PositionGiven_ExposureComesFromPosition()
    {
        var series = new BacktestSeries(Equity, Trades, Position: [1, -0.5, 0, 1, 0]);

        var values = MetricCalculator.Compute(series, Quarterly);

        Assert.Equal(0.6, values["exposure"], Tolerance);
    }

    [Fact]
    public void Compute_LongPosition_ExposureCountsNonzeroBarsIncludingTail()
    {
        // 37 bars, every third one flat (bars 0, 3, ..., 36: 13 of them), some at -0.0 which is flat too.
        var position = Enumerable.Range(0, 37).Select(i => i % 3 == 0 ? (i % 2 == 0 ? 0.0 : -0.0) : 0.5).ToArray();
        var series = new BacktestSeries(Enumerable.Repeat(100.0, 37).ToArray(), [], Position: position);

        Assert.Equal(24.0 / 37.0, MetricCalculator.Compute(series, Quarterly)["exposure"], Tolerance);
    }

    [Fact]
    public void Compute_OverlappingTrades_BarsHeldCountOnce()
    {
        TradeRecord[] trades = [new(0, 3, TradeSide.Long, 1, 1, 1, 0, 1), new(1, 2, TradeSide.Short, 1, 1, 1, 0, 1)];

        var values = MetricCalculator.Compute(new BacktestSeries(Equity, trades), Quarterly);

        Assert.Equal(0.6, values["exposure"], Tolerance);
    }

    [Fact]
    public void Compute_NoSettingsFactorNoTimestamps_Uses252AndSaysSo()
    {
        var values = MetricCalculator.Compute(new BacktestSeries(Equity, Trades), MetricSettings.Default);

        Assert.Equal(252, values.AnnualizationFactorUsed);
        Assert.Equal(AnnualizationSource.Default, values.AnnualizationSource);
        Assert.True(values.AnnualizationInferred);
        // CAGR = 1.1979^(252 / 4) - 1, about 87,195: compared to 1e-12 relative. Sharpe = 0.05 / 0.1 * sqrt(252).
        var cagr = Math.Pow(1.1979, 63) - 1;
        Assert.Equal(cagr, values["annualized_return"], cagr * 1e-12);
        Assert.Equal(0.5 * Math.Sqrt(252), values["sharpe_ratio"], Tolerance);
    }

    [Fact]
    public void Compute_FlatEquity_EveryRatioIsZero()
    {
        var values = MetricCalculator.Compute(new BacktestSeries([100, 100, 100, 100], []), Quarterly);

        Assert.All(values, pair => Assert.Equal(0, pair.Value));
        Assert.Equal(MetricCatalog.All.Count, values.Count);
    }

    [Fact]
    public void Compute_ConstantReturns_StdIsRoundingNoise_SharpeAndVolatilityZero()
    {
        var equity = Enumerable.Range(0, 50).Select(t => 100 * Math.Pow(1.01, t)).ToArray();

        var values = MetricCalculator.Compute(new BacktestSeries(equity, []), Quarterly);

        Assert.Equal(0, values["annualized_volatility"]);
        Assert.Equal(0, values["sharpe_ratio"]);
        Assert.Equal(Math.Pow(1.01, 49) - 1, values["total_return"], 1e-12);
    }

    [Fact]
    public void Compute_NoDownsideNoDrawdown_SortinoAndCalmarAreZeroNotInfinite()
    {
        var values = MetricCalculator.Compute(new BacktestSeries([100, 101, 103, 106], []), Quarterly);

        Assert.True(values["sharpe_ratio"] > 0);
        Assert.Equal(0, values["sortino_ratio"]);
        Assert.Equal(0, values["max_drawdown"]);
        Assert.Equal(0, values["calmar_ratio"]);
        Assert.Equal(0, values["max_drawdown_duration"]);
    }

    [Fact]
    public void Compute_NoTrades_TradeMetricsAndExposureAreZero()
    {
        var values = MetricCalculator.Compute(new BacktestSeries(Equity, []), Quarterly);

        Assert.Equal(0, values["trades"]);
        Assert.Equal(0, values["win_rate"]);
        Assert.Equal(0, values["profit_factor"]);
        Assert.Equal(0, values["expectancy"]);
        Assert.Equal(0, values["exposure"]);
    }

    [Fact]
    public void Compute_ProfitsAndNoLosses_ProfitFactorIsTheCap()
    {
        TradeRecord[] trades = [new(0, 1, TradeSide.Long, 1, 1, 1, 0.1, 5), new(2, 3, TradeSide.Short, 1, 1, 1, 0.05, 3)];

        var values = MetricCalculator.Compute(new BacktestSeries(Equity, trades), Quarterly);

        Assert.Equal(MetricCalculator.ValueCap, values["profit_factor"]);
        Assert.Equal(1, values["win_rate"]);
        Assert.Equal(0.075, values["expectancy"], Tolerance);
    }

    [Fact]
    public void Compute_OnlyBreakevenTrades_ProfitFactorAndWinRateZero()
    {
        TradeRecord[] trades = [new(0, 1, TradeSide.Long, 1, 1, 1, 0, 0)];

        var values = MetricCalculator.Compute(new BacktestSeries(Equity, trades), Quarterly);

        Assert.Equal(0, values["profit_factor"]);
        Assert.Equal(0, values["win_rate"]);
        Assert.Equal(1, values["trades"]);
    }

    [Fact]
    public void Compute_UnrecoveredDrawdown_DurationRunsToTheLastBar()
    {
        var values = MetricCalculator.Compute(new BacktestSeries([100, 120, 90, 100], []), Quarterly);

        // Peak 120 at bar 1, never regained: 3 - 1 bars; depth 1 - 90 / 120.
        Assert.Equal(2, values["max_drawdown_duration"]);
        Assert.Equal(0.25, values["max_drawdown"], Tolerance);
    }

    [Fact]
    public void Compute_SeveralDrawdowns_LongestDurationAndDeepestFall()
    {
        var values = MetricCalculator.Compute(new BacktestSeries([100, 90, 100, 80, 90, 100, 110], []), Quarterly);

        // Bar 0 -> recovered at bar 2 (2 bars); bar 2 -> recovered at bar 5 (3 bars, equal to the peak counts).
        Assert.Equal(3, values["max_drawdown_duration"]);
        Assert.Equal(0.2, values["max_drawdown"], Tolerance);
    }

    [Fact]
    public void Compute_CagrOverflows_ValueIsClampedFinite()
    {
        var values = MetricCalculator.Compute(new BacktestSeries([1, 1000], []), new MetricSettings(AnnualizationFactor: 12096));

        // 1000^12096 overflows a double.
        Assert.Equal(MetricCalculator.ValueCap, values["annualized_return"]);
        Assert.All(values, pair => Assert.True(double.IsFinite(pair.Value), pair.Key));
    }

    [Fact]
    public void Compute_NamesGiven_ReturnsOnlyThoseInCatalogOrder()
    {
        var values = MetricCalculator.Compute(new BacktestSeries(Equity, Trades), Quarterly, ["trades", "sharpe_ratio"]);

        Assert.Equal(["sharpe_ratio", "trades"], values.Keys);
        Assert.False(values.ContainsKey("total_return"));
        Assert.Throws<KeyNotFoundException>(() => values["total_return"]);
    }

    [Fact]
    public void Compute_UnknownName_ThrowsListingKnownNames()
    {
        var ex = Assert.Throws<ArgumentException>(
            () => MetricCalculator.Compute(new BacktestSeries(Equity, Trades), Quarterly, ["sharpe"]));

        Assert.Contains("unknown metric 'sharpe'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("sharpe_ratio", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Calculate_OneMetric_EqualsComputeValue()
    {
        var series = new BacktestSeries(Equity, Trades);

        Assert.Equal(
            MetricCalculator.Compute(series, Quarterly)["sortino_ratio"],
            MetricCatalog.Get("sortino_ratio").Calculate(series, Quarterly));
    }
}
