namespace OptimizerGrpc.Trading;

/// <summary>A time-ordered series of closing prices, one per bar.</summary>
public sealed class PriceSeries
{
    /// <summary>Creates a series; <paramref name="times"/> and <paramref name="close"/> must have the same length.</summary>
    public PriceSeries(string name, DateTime[] times, double[] close)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(close);
        if (times.Length != close.Length)
        {
            throw new ArgumentException(
                $"times has {times.Length} entries but close has {close.Length}; they must be equal.", nameof(close));
        }

        Name = name ?? string.Empty;
        Times = times;
        Close = close;
    }

    /// <summary>Where the series came from (file name or a caller-chosen label).</summary>
    public string Name { get; }

    /// <summary>Bar times, UTC, in file order (see <see cref="Issues"/> for rows out of order).</summary>
    public DateTime[] Times { get; }

    /// <summary>Closing prices.</summary>
    public double[] Close { get; }

    /// <summary>Suspicious rows that were kept as they are (empty for a clean file).</summary>
    public IReadOnlyList<CsvIssue> Issues { get; init; } = [];

    /// <summary>Number of bars.</summary>
    public int Count => Close.Length;

    /// <summary>Bar times as Unix milliseconds (the wire format of <c>BacktestRecord.timestamps_unix_ms</c>).</summary>
    public long[] TimesUnixMilliseconds()
    {
        var result = new long[Times.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = new DateTimeOffset(DateTime.SpecifyKind(Times[i], DateTimeKind.Utc)).ToUnixTimeMilliseconds();
        }

        return result;
    }

    /// <summary>Copies the bars in the half-open range [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public PriceSeries Slice(int start, int end)
    {
        if (start < 0 || end > Count || start > end)
        {
            throw new ArgumentOutOfRangeException(
                nameof(start), $"Slice [{start}, {end}) must satisfy 0 <= start <= end <= {Count}.");
        }

        return new PriceSeries(Name, Times[start..end], Close[start..end]);
    }
}
