namespace OptimizerGrpc.Core.Metrics;

/// <summary>
/// What a backtest produced, the input of <see cref="MetricCalculator"/>. Bar indices (trades, segments) are indices
/// into <see cref="Equity"/>; the edge that maps a wire record subtracts its start bar. The calculator validates the
/// series on every call (<see cref="MetricInputException"/>) because the arrays are the caller's and may change.
/// </summary>
/// <param name="Equity">Equity at each bar's close; at least 2 values, all finite and &gt; 0.</param>
/// <param name="Trades">Round trips, in any order.</param>
/// <param name="TimestampsUnixMs">When set, one strictly increasing UTC timestamp per bar; used to infer the
/// annualisation factor.</param>
/// <param name="Position">When set, the position held over each bar (same length as equity); used for exposure.
/// Without it exposure comes from the trades' bar spans.</param>
public sealed record BacktestSeries(
    double[] Equity,
    IReadOnlyList<TradeRecord> Trades,
    long[]? TimestampsUnixMs = null,
    double[]? Position = null);
