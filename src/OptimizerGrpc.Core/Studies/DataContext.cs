namespace OptimizerGrpc.Core.Studies;

/// <summary>
/// The slice of the client's data a trial is evaluated on. The server knows bar indices and regime labels, never prices.
/// <see cref="EvaluateWholeSeries"/> asks the client to run the whole series (attribution mode): the server then
/// scores only the bars of the slice.
/// </summary>
public abstract record DataContext(string Label, bool EvaluateWholeSeries)
{
    /// <summary>The whole series, labelled as the stages of plain and sequential studies are.</summary>
    public static DataContext Whole { get; } = new WholeSeriesContext("whole series");
}

/// <summary>Every bar of the series.</summary>
public sealed record WholeSeriesContext(string Label) : DataContext(Label, false);

/// <summary>One window of bars (a walk-forward in- or out-of-sample window).</summary>
public sealed record WindowContext(BarRange Window, string Label, bool EvaluateWholeSeries) : DataContext(Label, EvaluateWholeSeries);

/// <summary>The bars of one regime, as runs of consecutive bars.</summary>
public sealed record RegimeContext(string Regime, IReadOnlyList<BarRange> Segments, string Label, bool EvaluateWholeSeries)
    : DataContext(Label, EvaluateWholeSeries)
{
    public long BarCount => Segments.Sum(s => s.Length);
}
