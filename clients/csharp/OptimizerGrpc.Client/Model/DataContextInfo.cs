namespace OptimizerGrpc.Client;

/// <summary>A half-open bar-index interval [StartBar, EndBar).</summary>
public readonly record struct BarRange(long StartBar, long EndBar)
{
    /// <summary>Number of bars.</summary>
    public long Length => EndBar - StartBar;
}

/// <summary>Which kind of slice a trial is evaluated on.</summary>
public enum DataContextKind
{
    /// <summary>All bars.</summary>
    WholeSeries = 0,

    /// <summary>One bar window (walk-forward in-sample or out-of-sample).</summary>
    Window = 1,

    /// <summary>The segments carrying one regime label.</summary>
    Segments = 2,
}

/// <summary>What slice of the client's data a trial is evaluated on.</summary>
/// <param name="Kind">Whole series, one window or regime segments.</param>
/// <param name="Segments">The window (one entry) or the regime's segments; empty for the whole series.</param>
/// <param name="Regime">The regime label for <see cref="DataContextKind.Segments"/>, else null.</param>
/// <param name="EvaluateWholeSeries">Attribution mode: backtest everything; the server scores the slice.</param>
/// <param name="Label">A human name for the context.</param>
public sealed record DataContextInfo(
    DataContextKind Kind, IReadOnlyList<BarRange> Segments, string? Regime, bool EvaluateWholeSeries, string Label)
{
    /// <summary>The whole series.</summary>
    public static DataContextInfo Whole { get; } = new(DataContextKind.WholeSeries, [], null, false, string.Empty);
}
