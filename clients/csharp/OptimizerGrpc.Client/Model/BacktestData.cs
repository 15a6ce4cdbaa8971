namespace OptimizerGrpc.Client;

/// <summary>A backtest record sent to the server, which computes every metric the study asks for from it.</summary>
/// <param name="Equity">Equity per bar of the evaluated slice.</param>
/// <param name="Trades">Round trips.</param>
/// <param name="TimestampsUnixMs">Optional, one per equity value (lets the server infer annualisation).</param>
/// <param name="StartBar">Bar index of Equity[0] in the client's full series.</param>
/// <param name="Position">Optional, the position held over each bar (for exposure).</param>
/// <param name="RegimeLabels">Optional, one regime label index per equity value.</param>
public sealed record BacktestData(
    IReadOnlyList<double> Equity,
    IReadOnlyList<BacktestTrade> Trades,
    IReadOnlyList<long>? TimestampsUnixMs = null,
    long StartBar = 0,
    IReadOnlyList<double>? Position = null,
    IReadOnlyList<int>? RegimeLabels = null);
