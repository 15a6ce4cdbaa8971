using static System.FormattableString;

namespace OptimizerGrpc.Core.Metrics;

/// <summary>
/// Checks a <see cref="BacktestSeries"/> and names the first bad value by its wire path. The arrays are checked
/// with vector compares first; only a failing array is scanned value by value to find the index.
/// </summary>
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

        if (!SpanChecks.AllPositiveFinite(equity))
        {
            ThrowBadEquity(equity);
        }

        if (series.TimestampsUnixMs is { } timestamps)
        {
            CheckLength("record.timestamps_unix_ms", timestamps.Length, equity.Length);
            if (!SpanChecks.StrictlyIncreasing(timestamps))
            {
                ThrowNotIncreasing(timestamps);
            }
        }

        if (series.Position is { } position)
        {
            CheckLength("record.position", position.Length, equity.Length);
            if (!SpanChecks.AllFinite(position))
            {
                ThrowNotFinite(position);
            }
        }

        ValidateTrades(series.Trades, equity.Length - 1);
    }

    private static void ValidateTrades(IReadOnlyList<TradeRecord> trades, long lastBar)
    {
        for (var i = 0; i < trades.Count; i++)
        {
            var trade = trades[i];
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

    private static void ThrowBadEquity(double[] equity)
    {
        for (var i = 0; i < equity.Length; i++)
        {
            var v = equity[i];
            if (!(v > 0 && v < double.PositiveInfinity))
            {
                throw new MetricInputException(
                    Invariant($"record.equity[{i}]"), Invariant($"is {v}, equity must be {(double.IsFinite(v) ? "> 0" : "finite")}"));
            }
        }
    }

    private static void ThrowNotIncreasing(long[] timestamps)
    {
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

    private static void ThrowNotFinite(double[] position)
    {
        for (var i = 0; i < position.Length; i++)
        {
            if (!double.IsFinite(position[i]))
            {
                throw new MetricInputException(Invariant($"record.position[{i}]"), Invariant($"is {position[i]}, position must be finite"));
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
