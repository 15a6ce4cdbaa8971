using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using static OptimizerGrpc.Core.Studies.UserText;

namespace OptimizerGrpc.Core.Metrics;

/// <summary>The built-in metrics, by name. Formulas and edge cases are in <see cref="MetricCalculator"/>.</summary>
public static class MetricCatalog
{
    private static readonly MetricDefinition[] Definitions =
    [
        new(MetricId.TotalReturn, "total_return", true, "Final equity over initial equity minus 1."),
        new(MetricId.AnnualizedReturn, "annualized_return", true,
            "CAGR: (E_end / E_0)^(periods per year / return periods) - 1."),
        new(MetricId.AnnualizedVolatility, "annualized_volatility", false,
            "Sample standard deviation (n - 1) of per-bar simple returns times sqrt(periods per year); 0 with fewer than 2 returns."),
        new(MetricId.MaxDrawdown, "max_drawdown", false, "Largest fall from a running peak, as a positive fraction of the peak."),
        new(MetricId.MaxDrawdownDuration, "max_drawdown_duration", false,
            "Longest run in bars from a peak to the first bar back at or above it, or to the last bar if never recovered."),
        new(MetricId.SharpeRatio, "sharpe_ratio", true,
            "Mean per-bar excess return over the sample std of returns times sqrt(periods per year) (Sharpe 1994); 0 when the std is 0."),
        new(MetricId.SortinoRatio, "sortino_ratio", true,
            "Mean per-bar excess return over the downside deviation of all bars times sqrt(periods per year) (Sortino & Price 1994); 0 with no downside."),
        new(MetricId.CalmarRatio, "calmar_ratio", true, "Annualized return over max drawdown; 0 when max drawdown is 0."),
        new(MetricId.WinRate, "win_rate", true, "Trades with pnl > 0 over all trades; 0 with no trades."),
        new(MetricId.ProfitFactor, "profit_factor", true,
            "Gross profit over gross loss of trade pnl, at most 1e9 (the value with profits and no losses); 0 with no trades or no profit."),
        new(MetricId.Expectancy, "expectancy", true, "Mean trade return (fraction); 0 with no trades."),
        new(MetricId.Trades, "trades", true, "Number of trades."),
        new(MetricId.Exposure, "exposure", true,
            "Fraction of bars holding a nonzero position, from the position series when given, else from the trades' spans."),
    ];

    private static readonly FrozenDictionary<string, MetricDefinition> ByName =
        Definitions.ToFrozenDictionary(d => d.Name, StringComparer.Ordinal);

    /// <summary>Every built-in metric, in a fixed order.</summary>
    public static IReadOnlyList<MetricDefinition> All => Definitions;

    /// <summary>Finds a metric by its exact snake_case name.</summary>
    public static bool TryGet(string name, [NotNullWhen(true)] out MetricDefinition? metric) =>
        ByName.TryGetValue(name, out metric);

    /// <summary>The metric named <paramref name="name"/>; throws <see cref="ArgumentException"/> listing the known names.</summary>
    /// <summary>The sense of an objective given without a direction: the metric's own, or maximise for a name the catalog does not know.</summary>
    public static bool DefaultMaximize(string name) => !TryGet(name, out var metric) || metric.HigherIsBetter;

    public static MetricDefinition Get(string name) =>
        TryGet(name, out var metric)
            ? metric
            : throw new ArgumentException(
                $"unknown metric {Quote(name)}; known metrics are {string.Join(", ", Definitions.Select(d => d.Name))}", nameof(name));

    internal static MetricDefinition Get(MetricId id) => Definitions[(int)id];

    internal static int Count => Definitions.Length;
}
