namespace OptimizerGrpc.Core.Metrics;

/// <summary>
/// Infers bars per year from timestamps. The median bar interval decides the frequency, so weekends, holidays and
/// missing bars don't move it: &gt;= 20 days is monthly (12), &gt;= 5 days weekly (52), &gt;= 20 hours daily (252),
/// and anything shorter is intraday: 252 trading days times the median number of bars per UTC calendar day
/// (30-minute FX bars around the clock: 48 per day, 12,096 per year).
/// </summary>
internal static class Annualization
{
    /// <summary>Daily bars, assumed when neither a factor nor timestamps are given.</summary>
    public const double DefaultPeriodsPerYear = 252;

    private const long Hour = 3_600_000;
    private const long Day = 24 * Hour;

    /// <param name="timestamps">At least 2, strictly increasing (validated by the caller).</param>
    public static double FromTimestamps(ReadOnlySpan<long> timestamps)
    {
        var interval = MedianInterval(timestamps);
        return interval switch
        {
            >= 20 * Day => 12,
            >= 5 * Day => 52,
            >= 20 * Hour => 252,
            _ => 252 * MedianBarsPerDay(timestamps),
        };
    }

    private static double MedianInterval(ReadOnlySpan<long> timestamps)
    {
        // Regular bars repeat one interval for long runs: count a run in the tight loop, add it to the counter once.
        var counter = new SmallMedian(stackalloc long[SmallMedian.Capacity], stackalloc long[SmallMedian.Capacity]);
        var current = timestamps[1] - timestamps[0];
        long run = 0;
        for (var i = 1; i < timestamps.Length; i++)
        {
            var interval = timestamps[i] - timestamps[i - 1];
            if (interval == current)
            {
                run++;
                continue;
            }

            if (!counter.TryAdd(current, run))
            {
                return MedianOfAllIntervals(timestamps);
            }

            current = interval;
            run = 1;
        }

        return counter.TryAdd(current, run) ? counter.Median() : MedianOfAllIntervals(timestamps);
    }

    private static double MedianOfAllIntervals(ReadOnlySpan<long> timestamps)
    {
        var all = new long[timestamps.Length - 1];
        for (var i = 1; i < timestamps.Length; i++)
        {
            all[i - 1] = timestamps[i] - timestamps[i - 1];
        }

        return SmallMedian.OfUnsorted(all);
    }

    private static double MedianBarsPerDay(ReadOnlySpan<long> timestamps)
    {
        var counter = new SmallMedian(stackalloc long[SmallMedian.Capacity], stackalloc long[SmallMedian.Capacity]);
        List<long>? overflow = null;
        // Compare with the next midnight instead of dividing every timestamp.
        var nextDay = (FloorDay(timestamps[0]) + 1) * Day;
        long bars = 0;
        foreach (var t in timestamps)
        {
            if (t >= nextDay)
            {
                Add(ref counter, ref overflow, bars);
                nextDay = (FloorDay(t) + 1) * Day;
                bars = 0;
            }

            bars++;
        }

        Add(ref counter, ref overflow, bars);
        return overflow is null ? counter.Median() : SmallMedian.OfUnsorted([.. overflow]);

        static void Add(ref SmallMedian counter, ref List<long>? overflow, long value)
        {
            if (overflow is not null)
            {
                overflow.Add(value);
            }
            else if (!counter.TryAdd(value))
            {
                overflow = counter.ToList();
                overflow.Add(value);
            }
        }
    }

    private static long FloorDay(long unixMs) => (unixMs >= 0 ? unixMs : unixMs - Day + 1) / Day;

    /// <summary>
    /// Median of a stream with few distinct values (bar intervals, bars per day), without sorting the stream:
    /// counts per distinct value in two small spans. TryAdd fails once there are more than
    /// <see cref="Capacity"/> distinct values; the caller then sorts.
    /// </summary>
    private ref struct SmallMedian(Span<long> values, Span<long> counts)
    {
        public const int Capacity = 32;

        private readonly Span<long> _values = values;
        private readonly Span<long> _counts = counts;
        private int _distinct;
        private long _total;

        /// <summary>Adds <paramref name="count"/> occurrences of <paramref name="value"/>.</summary>
        public bool TryAdd(long value, long count = 1)
        {
            for (var i = 0; i < _distinct; i++)
            {
                if (_values[i] == value)
                {
                    _counts[i] += count;
                    _total += count;
                    return true;
                }
            }

            if (_distinct == Capacity)
            {
                return false;
            }

            _values[_distinct] = value;
            _counts[_distinct] = count;
            _distinct++;
            _total += count;
            return true;
        }

        public readonly double Median()
        {
            var values = _values[.._distinct];
            var counts = _counts[.._distinct];
            values.Sort(counts);
            return (At(values, counts, (_total - 1) / 2) + At(values, counts, _total / 2)) / 2.0;
        }

        public readonly List<long> ToList()
        {
            var list = new List<long>();
            for (var i = 0; i < _distinct; i++)
            {
                for (long c = 0; c < _counts[i]; c++)
                {
                    list.Add(_values[i]);
                }
            }

            return list;
        }

        public static double OfUnsorted(long[] values)
        {
            Array.Sort(values);
            var n = values.Length;
            return (values[(n - 1) / 2] + (double)values[n / 2]) / 2.0;
        }

        private static long At(ReadOnlySpan<long> sortedValues, ReadOnlySpan<long> counts, long rank)
        {
            for (var i = 0; i < sortedValues.Length; i++)
            {
                rank -= counts[i];
                if (rank < 0)
                {
                    return sortedValues[i];
                }
            }

            return sortedValues[^1];
        }
    }
}
