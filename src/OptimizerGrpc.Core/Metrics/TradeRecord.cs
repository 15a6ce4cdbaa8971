namespace OptimizerGrpc.Core.Metrics;

/// <summary>Direction of a trade; the numbers match the wire enum (0 is unspecified there and invalid here).</summary>
public enum TradeSide
{
    Long = 1,
    Short = 2,
}

/// <summary>One round trip of a backtest.</summary>
/// <param name="EntryBar">Index into <see cref="BacktestSeries.Equity"/> of the bar whose close opened the position.</param>
/// <param name="ExitBar">Index of the bar whose close closed it (&gt;= <paramref name="EntryBar"/>). The position is
/// held over bars [EntryBar, ExitBar), the client backtester's convention: a position decided at bar t's close earns
/// the return to bar t + 1.</param>
/// <param name="Side">Long or short.</param>
/// <param name="Size">Absolute position at entry (1 = fully invested).</param>
/// <param name="EntryPrice">Price at entry.</param>
/// <param name="ExitPrice">Price at exit.</param>
/// <param name="Return">Fractional return in the trade's direction (0.01 = 1%).</param>
/// <param name="Pnl">Profit or loss in capital units; the sign decides win or loss.</param>
public readonly record struct TradeRecord(
    long EntryBar, long ExitBar, TradeSide Side, double Size, double EntryPrice, double ExitPrice, double Return, double Pnl);
