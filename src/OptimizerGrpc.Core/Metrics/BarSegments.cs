using static System.FormattableString;

namespace OptimizerGrpc.Core.Metrics;

/// <summary>Half-open bar ranges [Start, End), sorted, disjoint and clipped to the series.</summary>
internal static class BarSegments
{
    /// <summary>
    /// Sorts, merges overlapping or touching segments and clips them to [0, barCount); empty ones are dropped.
    /// A segment with Start &lt; 0 or End &lt; Start is an input error.
    /// </summary>
    public static (int Start, int End)[] Normalize(IReadOnlyList<(long Start, long End)> segments, int barCount)
    {
        var clipped = new List<(int Start, int End)>(segments.Count);
        for (var i = 0; i < segments.Count; i++)
        {
            var (start, end) = segments[i];
            if (start < 0 || end < start)
            {
                throw new MetricInputException(
                    Invariant($"segments[{i}]"), Invariant($"is [{start}, {end}), it needs 0 <= start <= end"));
            }

            if (start < barCount && end > start)
            {
                clipped.Add(((int)start, (int)Math.Min(end, barCount)));
            }
        }

        clipped.Sort();
        var merged = new List<(int Start, int End)>(clipped.Count);
        foreach (var segment in clipped)
        {
            if (merged.Count > 0 && segment.Start <= merged[^1].End)
            {
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, segment.End));
            }
            else
            {
                merged.Add(segment);
            }
        }

        return [.. merged];
    }

    /// <summary>Whether <paramref name="bar"/> lies in one of the normalized <paramref name="segments"/>.</summary>
    public static bool Contains(ReadOnlySpan<(int Start, int End)> segments, long bar)
    {
        int lo = 0, hi = segments.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (bar < segments[mid].Start)
            {
                hi = mid - 1;
            }
            else if (bar >= segments[mid].End)
            {
                lo = mid + 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Number of bars covered by both normalized lists (two-pointer sweep).</summary>
    public static long OverlapLength(ReadOnlySpan<(int Start, int End)> a, ReadOnlySpan<(int Start, int End)> b)
    {
        long total = 0;
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            var start = Math.Max(a[i].Start, b[j].Start);
            var end = Math.Min(a[i].End, b[j].End);
            if (end > start)
            {
                total += end - start;
            }

            if (a[i].End < b[j].End)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return total;
    }

    public static long Length(ReadOnlySpan<(int Start, int End)> segments)
    {
        long total = 0;
        foreach (var (start, end) in segments)
        {
            total += end - start;
        }

        return total;
    }
}
