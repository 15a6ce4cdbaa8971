namespace OptimizerGrpc.Trading;

/// <summary>Direction of a trade.</summary>
public enum TradeSide
{
    /// <summary>Profits when the price rises.</summary>
    Long = 1,

    /// <summary>Profits when the price falls.</summary>
    Short = 2,
}

/// <summary>One round trip: a run of bars holding a position of one sign.</summary>
/// <param name="EntryBar">Bar whose close the position was opened at.</param>
/// <param name="ExitBar">Bar whose close the position was closed at (the last bar for a trade still open at the end).</param>
/// <param name="Side">Long or short.</param>
/// <param name="Size">Absolute position at entry, as a fraction of equity (1 = fully invested).</param>
/// <param name="EntryPrice">Close at <paramref name="EntryBar"/>.</param>
/// <param name="ExitPrice">Close at <paramref name="ExitBar"/>.</param>
/// <param name="Return">Price return in the trade's direction: ExitPrice / EntryPrice - 1 for long, the negative for short.</param>
/// <param name="Pnl">Equity change from entry bar to exit bar, in capital units, including the entry commission.</param>
public readonly record struct Trade(
    int EntryBar, int ExitBar, TradeSide Side, double Size, double EntryPrice, double ExitPrice, double Return, double Pnl);
