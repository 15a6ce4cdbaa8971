using static System.FormattableString;

namespace OptimizerGrpc.Core.Metrics;

/// <summary>Checks a <see cref="BacktestSeries"/> and names the first bad value by its wire path.</summary>
internal static class SeriesValidation
{
    public static void Validate(BacktestSeries series)
    {
        ArgumentNullException.ThrowIfNull(series.Equity, nameof(series.Equity));
        ArgumentNullException.ThrowIfNull(series.Trades, nameof(series.Trades));
        var equity = series.Equity;
        if (equity.Length < 2)
        {
            throw new MetricInputException("record.equity", Invariant($"has {equity.Length} values, at least 2 are needed"));
        }

        for (var i = 0; i < equity.Length; i++)
        {
            var v = equity[i];
            if (!(v > 0) || double.IsPositiveInfinity(v))
            {
                throw new MetricInputException(
                    Invariant($"record.equity[{i}]"), Invariant($"is {v}, equity must be {(double.IsFinite(v) ? "> 0" : "finite")}"));
            }
        }

        if (series.TimestampsUnixMs is { } timestamps)
        {
            CheckLength("record.timestamps_unix_ms", timestamps.Length, equity.Length);
            for (var i = 1; i < timestamps.Length; i++)
            {
                if (timestamps[i] <= timestamps[i - 1])
                {
                    throw new MetricInputException(
                        Invariant($"record.timestamps_unix_ms[{i}]"),
                        Invariant($"is {timestamps[i]}, timestamps must increase (the previous is {timestamps[i - 1]})"));
                }
            }
        }

        if (series.Position is { } position)
        {
            CheckLength("record.position", position.Length, equity.Length);
            for (var i = 0; i < position.Length; i++)
            {
                if (!double.IsFinite(position[i]))
                {
                    throw new MetricInputException(Invariant($"record.position[{i}]"), Invariant($"is {position[i]}, position must be finite"));
                }
            }
        }

        long lastBar = equity.Length - 1;
        for (var i = 0; i < series.Trades.Count; i++)
        {
            var trade = series.Trades[i];
            if (trade.EntryBar < 0 || trade.EntryBar > lastBar)
            {
                throw new MetricInputException(
                    Invariant($"record.trades[{i}].entry_bar"), Invariant($"is {trade.EntryBar}, it must be in [0, {lastBar}]"));
            }

            if (trade.ExitBar < trade.EntryBar || trade.ExitBar > lastBar)
            {
                throw new MetricInputException(
                    Invariant($"record.trades[{i}].exit_bar"),
                    Invariant($"is {trade.ExitBar}, it must be in [entry_bar {trade.EntryBar}, {lastBar}]"));
            }

            if (trade.Side is not (TradeSide.Long or TradeSide.Short))
            {
                throw new MetricInputException(Invariant($"record.trades[{i}].side"), Invariant($"is {(int)trade.Side}, it must be long or short"));
            }

            if (!double.IsFinite(trade.Return))
            {
                throw new MetricInputException(Invariant($"record.trades[{i}].return"), Invariant($"is {trade.Return}, it must be finite"));
            }

            if (!double.IsFinite(trade.Pnl))
            {
                throw new MetricInputException(Invariant($"record.trades[{i}].pnl"), Invariant($"is {trade.Pnl}, it must be finite"));
            }
        }
    }

    private static void CheckLength(string field, int length, int equityLength)
    {
        if (length != equityLength)
        {
            throw new MetricInputException(field, Invariant($"has {length} values but equity has {equityLength}; they must be equal"));
        }
    }
}
