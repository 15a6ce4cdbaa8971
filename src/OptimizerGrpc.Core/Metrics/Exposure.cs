namespace OptimizerGrpc.Core.Metrics;

/// <summary>Fraction of the bars in scope that hold a nonzero position.</summary>
internal static class Exposure
{
    /// <summary>
    /// From <see cref="BacktestSeries.Position"/> when given; otherwise a bar is held when it lies in some trade's
    /// [EntryBar, ExitBar), so overlapping trades count once. 0 when no bar is in scope.
    /// </summary>
    public static double Of(BacktestSeries series, ReadOnlySpan<(int Start, int End)> scope)
    {
        var bars = BarSegments.Length(scope);
        if (bars == 0)
        {
            return 0;
        }

        long held = 0;
        if (series.Position is { } position)
        {
            foreach (var (start, end) in scope)
            {
                held += SpanChecks.CountNonZero(position.AsSpan(start, end - start));
            }
        }
        else if (series.Trades.Count > 0)
        {
            var spans = new (long Start, long End)[series.Trades.Count];
            for (var i = 0; i < spans.Length; i++)
            {
                spans[i] = (series.Trades[i].EntryBar, series.Trades[i].ExitBar);
            }

            held = BarSegments.OverlapLength(BarSegments.Normalize(spans, series.Equity.Length), scope);
        }

        return held / (double)bars;
    }
}
