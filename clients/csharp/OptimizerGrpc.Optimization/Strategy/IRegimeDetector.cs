namespace OptimizerGrpc.Optimization;

/// <summary>
/// Labels each bar of a price series with a regime, from closes up to that bar only. The seam between
/// <see cref="RegimeDetectorTarget"/> and the detectors it searches (<see cref="TrendRegimeDetector"/>,
/// <see cref="VolatilityRegimeDetector"/>).
/// </summary>
public interface IRegimeDetector
{
    /// <summary>Regime names, indexed by label; they are sent to the server with the labels.</summary>
    IReadOnlyList<string> RegimeNames { get; }

    /// <summary>Every parameter the detector accepts, with the range searched by default.</summary>
    IReadOnlyDictionary<string, ParameterDomain> DefaultSpace { get; }

    /// <summary>Bars at the start of a series whose label does not yet reflect a full lookback.</summary>
    int WarmupBars { get; }

    /// <summary>One label per bar: an index into <see cref="RegimeNames"/>, or -1 for a bar in no regime.</summary>
    int[] Detect(ReadOnlySpan<double> close);

    /// <summary>The current parameter values, by name.</summary>
    IReadOnlyDictionary<string, double> GetParameters();

    /// <summary>
    /// Why <paramref name="parameters"/> are invalid, or null. Names left out keep their current values; a name the
    /// detector does not know is invalid.
    /// </summary>
    string? Check(IReadOnlyDictionary<string, double> parameters);

    /// <summary>Sets the given parameters; throws <see cref="ArgumentException"/> when <see cref="Check"/> refuses them.</summary>
    void SetParameters(IReadOnlyDictionary<string, double> parameters);

    /// <summary>
    /// A new detector with this one's settings and <paramref name="parameters"/> applied; this one is not changed,
    /// so trials can label a series concurrently.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716", Justification = "Published client API named after C#'s with-expression (a changed copy); renaming breaks callers, and VB can still call it as [With].")]
    IRegimeDetector With(IReadOnlyDictionary<string, double> parameters);

    /// <summary>
    /// The regime that actually followed bar <paramref name="bar"/> over the next <paramref name="horizonBars"/> bars
    /// (what a perfect detector would have said), or -1 when it cannot be told; <paramref name="band"/> is the
    /// trend detector's return band. Used by <see cref="RegimeClassificationAccuracyMetric"/>.
    /// </summary>
    int RealisedRegime(ReadOnlySpan<double> close, int bar, int horizonBars, double band);
}
