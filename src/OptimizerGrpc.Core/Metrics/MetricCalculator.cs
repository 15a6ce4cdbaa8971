namespace OptimizerGrpc.Core.Metrics;

/// <summary>
/// Computes the <see cref="MetricCatalog"/> metrics of a backtest in one pass over the bars (plus a validation pass).
/// <para>
/// Returns are per-bar simple returns r_t = E_t / E_{t-1} - 1, n of them for n + 1 equity values; ppy is the
/// annualisation factor (explicit, else inferred from timestamps, else 252; see <see cref="Annualization"/>), and
/// rf the per-bar risk-free rate (1 + annual rate)^(1 / ppy) - 1.
/// </para>
/// <list type="bullet">
/// <item>total_return = E_end / E_0 - 1; annualized_return = (E_end / E_0)^(ppy / n) - 1 (CAGR).</item>
/// <item>annualized_volatility = sample std (n - 1) of r times sqrt(ppy); 0 with fewer than 2 returns.</item>
/// <item>max_drawdown = max over t of 1 - E_t / max(E_0..E_t), a positive fraction.</item>
/// <item>max_drawdown_duration = longest count of bars from a peak to the first bar at or above it again, or to the
/// last bar when it never recovers.</item>
/// <item>sharpe_ratio = mean(r - rf) / std(r) * sqrt(ppy) (W. F. Sharpe, "The Sharpe Ratio", 1994); 0 when the std
/// is 0. A std below 1e-12 of |mean(r)| is the rounding noise of constant returns and counts as 0.</item>
/// <item>sortino_ratio = mean(r - rf) / sqrt(mean(min(0, r - rf)^2)) * sqrt(ppy), the downside deviation taken over
/// all bars (Sortino &amp; Price, "Performance Measurement in a Downside Risk Framework", 1994). With no bar below
/// rf the ratio is unbounded; it is 0 then, because the server rejects non-finite objectives.</item>
/// <item>calmar_ratio = annualized_return / max_drawdown; 0 when max_drawdown is 0.</item>
/// <item>win_rate, profit_factor, expectancy, trades: see <see cref="TradeStatistics"/>; all 0 with no trades.</item>
/// <item>exposure: see <see cref="Exposure"/>.</item>
/// </list>
/// Every value is finite: results beyond ±<see cref="ValueCap"/> (a CAGR overflowing over a few intraday bars) are
/// clamped to it.
/// </summary>
public static class MetricCalculator
{
    /// <summary>Largest magnitude of any metric value; also profit_factor with profits and no losses.</summary>
    public const double ValueCap = 1e9;

    private const uint AllMetrics = (1u << 13) - 1;

    /// <summary>Scores the whole series.</summary>
    /// <param name="names">Metrics to return, by catalog name; null for all.</param>
    /// <exception cref="MetricInputException">The series is invalid.</exception>
    /// <exception cref="ArgumentException">A name is not in the catalog.</exception>
    public static MetricValues Compute(BacktestSeries series, MetricSettings settings, IReadOnlyCollection<string>? names = null)
    {
        var requested = Resolve(names);
        SeriesValidation.Validate(series);
        var (ppy, source) = PeriodsPerYear(series, settings);
        var path = new ReturnPath(PerBarRate(settings.RiskFreeRate, ppy));
        path.Add(series.Equity, 1, series.Equity.Length);
        ReadOnlySpan<(int Start, int End)> all = [(0, series.Equity.Length)];
        return Assemble(path, TradeStatistics.Of(series.Trades, all), Exposure.Of(series, all), ppy, source, requested);
    }

    /// <summary>
    /// Scores only the bars inside <paramref name="segments"/> (half-open [Start, End) bar indices), for attribution:
    /// the return of bar t (E_t / E_{t-1} - 1, so bar 0 has none) counts when t is in a segment, and the counted
    /// returns chain into an equity path starting at 1 for the return and drawdown metrics. A trade counts when its
    /// entry bar is in a segment; exposure is over the bars in the segments. Overlapping segments count once, the
    /// parts beyond the series are ignored, and with no return in scope the path metrics are 0. Annualisation uses
    /// the whole series' timestamps. With the single segment [0, bars) this equals <see cref="Compute"/>.
    /// </summary>
    /// <exception cref="MetricInputException">The series or a segment is invalid.</exception>
    public static MetricValues ComputeOnBars(
        BacktestSeries series,
        IReadOnlyList<(long Start, long End)> segments,
        MetricSettings settings,
        IReadOnlyCollection<string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var requested = Resolve(names);
        SeriesValidation.Validate(series);
        var scope = BarSegments.Normalize(segments, series.Equity.Length);
        var (ppy, source) = PeriodsPerYear(series, settings);
        var path = new ReturnPath(PerBarRate(settings.RiskFreeRate, ppy));
        foreach (var (start, end) in scope)
        {
            var from = Math.Max(start, 1);
            if (from < end)
            {
                path.Add(series.Equity, from, end);
            }
        }

        return Assemble(path, TradeStatistics.Of(series.Trades, scope), Exposure.Of(series, scope), ppy, source, requested);
    }

    private static MetricValues Assemble(
        in ReturnPath path, TradeStatistics trades, double exposure, double ppy, AnnualizationSource source, uint requested)
    {
        var values = new double[MetricCatalog.Count];
        var n = path.Count;
        var sqrtPpy = Math.Sqrt(ppy);
        if (n > 0)
        {
            var mean = path.Mean;
            var std = path.SampleStd;
            if (std <= 1e-12 * Math.Abs(mean))
            {
                std = 0;
            }

            var excess = mean - path.RiskFreePerBar;
            var downside = path.DownsideDeviation;
            var annualized = Math.Pow(path.Value, ppy / n) - 1;
            values[(int)MetricId.TotalReturn] = path.Value - 1;
            values[(int)MetricId.AnnualizedReturn] = annualized;
            values[(int)MetricId.AnnualizedVolatility] = std * sqrtPpy;
            values[(int)MetricId.MaxDrawdown] = path.MaxDrawdown;
            values[(int)MetricId.MaxDrawdownDuration] = path.MaxDrawdownDuration;
            values[(int)MetricId.SharpeRatio] = std == 0 ? 0 : excess / std * sqrtPpy;
            values[(int)MetricId.SortinoRatio] = downside == 0 ? 0 : excess / downside * sqrtPpy;
            values[(int)MetricId.CalmarRatio] = path.MaxDrawdown == 0 ? 0 : Math.Min(annualized, ValueCap) / path.MaxDrawdown;
        }

        values[(int)MetricId.WinRate] = trades.WinRate;
        values[(int)MetricId.ProfitFactor] = trades.ProfitFactor;
        values[(int)MetricId.Expectancy] = trades.Expectancy;
        values[(int)MetricId.Trades] = trades.Count;
        values[(int)MetricId.Exposure] = exposure;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Math.Clamp(values[i], -ValueCap, ValueCap);
        }

        return new MetricValues(values, requested, ppy, source);
    }

    private static (double PeriodsPerYear, AnnualizationSource Source) PeriodsPerYear(BacktestSeries series, MetricSettings settings) =>
        settings.AnnualizationFactor is { } explicitFactor ? (explicitFactor, AnnualizationSource.Explicit)
        : series.TimestampsUnixMs is { } timestamps ? (Annualization.FromTimestamps(timestamps), AnnualizationSource.Timestamps)
        : (Annualization.DefaultPeriodsPerYear, AnnualizationSource.Default);

    /// <summary>The per-bar rate that compounds to the annual rate over ppy bars.</summary>
    private static double PerBarRate(double annualRate, double ppy) => Math.Pow(1 + annualRate, 1 / ppy) - 1;

    private static uint Resolve(IReadOnlyCollection<string>? names)
    {
        if (names is null)
        {
            return AllMetrics;
        }

        uint mask = 0;
        foreach (var name in names)
        {
            mask |= 1u << (int)MetricCatalog.Get(name).Id;
        }

        return mask;
    }
}
