namespace OptimizerGrpc.Client;

/// <summary>Direction of a trade.</summary>
public enum TradeDirection
{
    /// <summary>Profits when the price rises.</summary>
    Long = 1,

    /// <summary>Profits when the price falls.</summary>
    Short = 2,
}

/// <summary>One round trip of a backtest record.</summary>
/// <param name="EntryBar">Bar whose close the position was opened at.</param>
/// <param name="ExitBar">Bar whose close the position was closed at.</param>
/// <param name="Side">Long or short.</param>
/// <param name="Size">Absolute position at entry, as a fraction of equity (1 = fully invested).</param>
/// <param name="EntryPrice">Close at <paramref name="EntryBar"/>.</param>
/// <param name="ExitPrice">Close at <paramref name="ExitBar"/>.</param>
/// <param name="Return">Price return in the trade's direction.</param>
/// <param name="Pnl">Equity change from entry bar to exit bar, in capital units.</param>
public readonly record struct BacktestTrade(
    long EntryBar, long ExitBar, TradeDirection Side, double Size, double EntryPrice, double ExitPrice, double Return, double Pnl);
