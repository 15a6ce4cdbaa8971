using System.Globalization;

namespace OptimizerGrpc.Optimization;

/// <summary>
/// How well a regime detector's labels describe the market that follows them (the spec's
/// <c>classification_accuracy</c>, the metric of a regime-detector target). Each bar's realised regime is what the
/// next <see cref="HorizonBars"/> bars did, as the detector defines it (<see cref="IRegimeDetector.RealisedRegime"/>):
/// for a <see cref="TrendRegimeDetector"/> the return beyond ±<see cref="Band"/>, for a
/// <see cref="VolatilityRegimeDetector"/> the annualised volatility against its own threshold. The score is the share
/// of bars, after the detector's warm-up and before the last horizon, whose label equals the realised regime. Unlike
/// the backtest metrics it is computed by the manager's worker (from prices and labels alone) and reported to the
/// server as a value.
/// </summary>
public sealed record RegimeClassificationAccuracyMetric : OptimizationMetric
{
    /// <summary>The metric's name in the study.</summary>
    public const string Name = "classification_accuracy";

    /// <summary>Creates the metric.</summary>
    /// <param name="horizonBars">Bars ahead whose return defines the realised regime. Default 20 (about a month of daily bars).</param>
    /// <param name="band">Return beyond which the realised regime is a trend (0.02 = 2%). Default 0.02.</param>
    public RegimeClassificationAccuracyMetric(int horizonBars = 20, double band = 0.02)
    {
        if (horizonBars < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(horizonBars), horizonBars, "The horizon must be at least 1 bar.");
        }

        if (!(band >= 0) || !double.IsFinite(band))
        {
            throw new ArgumentOutOfRangeException(nameof(band), band, "The band must be a finite number >= 0.");
        }

        HorizonBars = horizonBars;
        Band = band;
    }

    /// <summary>Bars ahead whose return defines the realised regime.</summary>
    public int HorizonBars { get; }

    /// <summary>Return beyond which the realised regime is a trend.</summary>
    public double Band { get; }

    /// <inheritdoc />
    public override string ServerName => Name;

    /// <inheritdoc />
    public override bool HigherIsBetter => true;

    /// <summary>
    /// The share of scored bars whose label (an index into <see cref="TrendRegimeDetector.RegimeNames"/>) matches the
    /// realised trend; bars before <paramref name="warmupBars"/> are not scored. 0 when no bar can be scored.
    /// </summary>
    public double Score(ReadOnlySpan<double> close, ReadOnlySpan<int> labels, int warmupBars) =>
        Score(close, labels, warmupBars, new TrendRegimeDetector());

    /// <summary>
    /// The share of scored bars whose label matches the regime that followed, as <paramref name="detector"/> defines
    /// it; bars before <paramref name="warmupBars"/>, and bars whose realised regime cannot be told, are not scored.
    /// 0 when no bar can be scored.
    /// </summary>
    public double Score(ReadOnlySpan<double> close, ReadOnlySpan<int> labels, int warmupBars, IRegimeDetector detector)
    {
        ArgumentNullException.ThrowIfNull(detector);
        if (labels.Length != close.Length)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{labels.Length} labels for {close.Length} closes; they must be equal."), nameof(labels));
        }

        long scored = 0, correct = 0;
        for (var t = Math.Max(warmupBars, 0); t + HorizonBars < close.Length; t++)
        {
            var realised = detector.RealisedRegime(close, t, HorizonBars, Band);
            if (realised < 0)
            {
                continue;
            }

            scored++;
            correct += labels[t] == realised ? 1 : 0;
        }

        return scored == 0 ? 0 : (double)correct / scored;
    }
}
