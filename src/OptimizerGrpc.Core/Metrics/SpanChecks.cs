using System.Numerics;

namespace OptimizerGrpc.Core.Metrics;

/// <summary>
/// Whole-array checks and counts with <see cref="Vector{T}"/>: they run on every record of every trial, and a scalar
/// compare-and-branch per bar costs as much as the metric pass itself. A failed check is located by the caller's
/// scalar loop, which names the index.
/// </summary>
internal static class SpanChecks
{
    /// <summary>True when every value is finite and &gt; 0 (NaN fails both vector compares).</summary>
    public static bool AllPositiveFinite(ReadOnlySpan<double> values)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var infinity = new Vector<double>(double.PositiveInfinity);
            for (; i <= values.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                var v = new Vector<double>(values[i..]);
                if (!Vector.GreaterThanAll(v, Vector<double>.Zero) || !Vector.LessThanAll(v, infinity))
                {
                    return false;
                }
            }
        }

        for (; i < values.Length; i++)
        {
            if (!(values[i] > 0 && values[i] < double.PositiveInfinity))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when no value is NaN or infinite.</summary>
    public static bool AllFinite(ReadOnlySpan<double> values)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var infinity = new Vector<double>(double.PositiveInfinity);
            for (; i <= values.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                if (!Vector.LessThanAll(Vector.Abs(new Vector<double>(values[i..])), infinity))
                {
                    return false;
                }
            }
        }

        for (; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when every value is greater than the one before it.</summary>
    public static bool StrictlyIncreasing(ReadOnlySpan<long> values)
    {
        var i = 1;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= values.Length - Vector<long>.Count; i += Vector<long>.Count)
            {
                if (!Vector.GreaterThanAll(new Vector<long>(values[i..]), new Vector<long>(values[(i - 1)..])))
                {
                    return false;
                }
            }
        }

        for (; i < values.Length; i++)
        {
            if (values[i] <= values[i - 1])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Number of values other than 0 (and -0).</summary>
    public static long CountNonZero(ReadOnlySpan<double> values)
    {
        long zeros = 0;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // Equals sets a lane to -1 where the value is zero; subtracting the masks counts them.
            var counts = Vector<long>.Zero;
            for (; i <= values.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                counts -= Vector.Equals(new Vector<double>(values[i..]), Vector<double>.Zero);
            }

            zeros = Vector.Sum(counts);
        }

        for (; i < values.Length; i++)
        {
            zeros += values[i] == 0 ? 1 : 0;
        }

        return values.Length - zeros;
    }
}
