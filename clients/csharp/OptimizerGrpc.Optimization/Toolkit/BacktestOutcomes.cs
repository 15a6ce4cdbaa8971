using OptimizerGrpc.Client;
using OptimizerGrpc.Trading;

namespace OptimizerGrpc.Optimization;

/// <summary>
/// Reports a trading-toolkit backtest as a trial outcome. The client does not know the toolkit, so the bridge lives
/// here, where both meet; with this namespace imported it reads as the client's own
/// <c>TrialOutcome.FromBacktest(result)</c> (a C# 14 static extension; older callers use <c>BacktestOutcomes.FromBacktest</c>).
/// </summary>
public static class BacktestOutcomes
{
    extension(TrialOutcome)
    {
        /// <summary>Outcome carrying a toolkit backtest (equity, trades and positions); the server computes the metrics from it.</summary>
        /// <param name="result">The backtest.</param>
        /// <param name="timestampsUnixMs">Optional, one per equity value (lets the server infer annualisation).</param>
        /// <param name="startBar">Bar index of the first equity value in the client's full series.</param>
        public static TrialOutcome FromBacktest(BacktestResult result, IReadOnlyList<long>? timestampsUnixMs = null, long startBar = 0)
        {
            ArgumentNullException.ThrowIfNull(result);
            var outcome = TrialOutcome.FromBacktest(result.Equity, [.. result.Trades.Select(ToBacktestTrade)], timestampsUnixMs, startBar);
            return outcome with { Backtest = outcome.Backtest! with { Position = result.Position } };
        }
    }

    /// <summary>A toolkit round trip as the client's trade record.</summary>
    public static BacktestTrade ToBacktestTrade(this Trade trade) => new(
        trade.EntryBar, trade.ExitBar, trade.Side == TradeSide.Long ? TradeDirection.Long : TradeDirection.Short,
        trade.Size, trade.EntryPrice, trade.ExitPrice, trade.Return, trade.Pnl);
}
