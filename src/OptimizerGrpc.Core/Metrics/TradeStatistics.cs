namespace OptimizerGrpc.Core.Metrics;

/// <summary>Win rate, profit factor and expectancy of the trades whose entry bar is in scope.</summary>
internal readonly record struct TradeStatistics(long Count, double WinRate, double ProfitFactor, double Expectancy)
{
    /// <summary>
    /// A win is pnl &gt; 0, a loss pnl &lt; 0. Profit factor is gross profit / gross loss, capped at
    /// <see cref="MetricCalculator.ValueCap"/> so that "profits and no losses" is finite and ranks best; it is 0 with
    /// no trades or no gross profit.
    /// </summary>
    /// <param name="scope">Normalized segments an entry bar must lie in.</param>
    public static TradeStatistics Of(IReadOnlyList<TradeRecord> trades, ReadOnlySpan<(int Start, int End)> scope)
    {
        long count = 0, wins = 0;
        double grossProfit = 0, grossLoss = 0, returns = 0;
        for (var i = 0; i < trades.Count; i++)
        {
            var trade = trades[i];
            if (!BarSegments.Contains(scope, trade.EntryBar))
            {
                continue;
            }

            count++;
            returns += trade.Return;
            if (trade.Pnl > 0)
            {
                wins++;
                grossProfit += trade.Pnl;
            }
            else
            {
                grossLoss -= trade.Pnl;
            }
        }

        if (count == 0)
        {
            return default;
        }

        var profitFactor = grossProfit == 0 ? 0
            : grossLoss == 0 ? MetricCalculator.ValueCap
            : Math.Min(grossProfit / grossLoss, MetricCalculator.ValueCap);
        return new TradeStatistics(count, wins / (double)count, profitFactor, returns / count);
    }
}
