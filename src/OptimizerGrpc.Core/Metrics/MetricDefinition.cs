namespace OptimizerGrpc.Core.Metrics;

/// <summary>
/// A built-in metric's metadata: the spec's OptimizationMetric name, description and higher_is_better. The values
/// themselves come from <see cref="MetricCalculator"/>, which computes every metric in one pass over the bars.
/// </summary>
public sealed record MetricDefinition
{
    internal MetricDefinition(MetricId id, string name, bool higherIsBetter, string description)
    {
        Id = id;
        Name = name;
        HigherIsBetter = higherIsBetter;
        Description = description;
    }

    /// <summary>snake_case name, e.g. "sharpe_ratio".</summary>
    public string Name { get; }

    /// <summary>False for risk measures (drawdown, volatility) that an optimiser minimises.</summary>
    public bool HigherIsBetter { get; }

    /// <summary>One line: the formula and its edge cases.</summary>
    public string Description { get; }

    internal MetricId Id { get; }

    /// <summary>This metric alone; <see cref="MetricCalculator.Compute"/> is cheaper when several are needed.</summary>
    public double Calculate(BacktestSeries series, MetricSettings settings) =>
        MetricCalculator.Compute(series, settings, [Name])[Name];

    public override string ToString() => Name;
}

/// <summary>Index of a metric in <see cref="MetricCatalog.All"/> and in a <see cref="MetricValues"/>.</summary>
internal enum MetricId
{
    TotalReturn,
    AnnualizedReturn,
    AnnualizedVolatility,
    MaxDrawdown,
    MaxDrawdownDuration,
    SharpeRatio,
    SortinoRatio,
    CalmarRatio,
    WinRate,
    ProfitFactor,
    Expectancy,
    Trades,
    Exposure,
}
