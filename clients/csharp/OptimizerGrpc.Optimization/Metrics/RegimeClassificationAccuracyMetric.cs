using System.Globalization;

namespace OptimizerGrpc.Optimization;

/// <summary>
/// How well a <see cref="TrendRegimeDetector"/>'s labels describe the market that follows them (the spec's
/// <c>classification_accuracy</c>, the metric of a regime-detector target). Each bar's realised regime is the
/// return over the next <see cref="HorizonBars"/> bars: above +<see cref="Band"/> "trending_up", below −Band
/// "trending_down", otherwise "sideways". The score is the share of bars, after the detector's warm-up and before
/// the last horizon, whose label equals the realised regime. Unlike the backtest metrics it is computed by the
/// manager's worker (from prices and labels alone) and reported to the server as a value. It scores trend labels
/// only: a run searching a detector with other regimes (a <see cref="VolatilityRegimeDetector"/>) is refused.
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

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="detector"/> labels trend regimes.</summary>
    internal static void EnsureScores(IRegimeDetector detector, string targetName)
    {
        if (!detector.RegimeNames.SequenceEqual(TrendRegimeDetector.RegimeNames, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"{nameof(RegimeClassificationAccuracyMetric)} ({Name}) scores trend labels ({string.Join(", ", TrendRegimeDetector.RegimeNames)}), "
                + $"but target '{targetName}' holds a {detector.GetType().Name} ({string.Join(", ", detector.RegimeNames)}); "
                + "there is no metric to search it with, so use it unsearched as the regime detector target of a regime-specific run.");
        }
    }

    /// <summary>
    /// The share of scored bars whose label (an index into <see cref="TrendRegimeDetector.RegimeNames"/>) matches the
    /// realised regime; bars before <paramref name="warmupBars"/> are not scored. 0 when no bar can be scored.
    /// </summary>
    public double Score(ReadOnlySpan<double> close, ReadOnlySpan<int> labels, int warmupBars)
    {
        if (labels.Length != close.Length)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{labels.Length} labels for {close.Length} closes; they must be equal."), nameof(labels));
        }

        long scored = 0, correct = 0;
        for (var t = Math.Max(warmupBars, 0); t + HorizonBars < close.Length; t++)
        {
            var forward = (close[t + HorizonBars] / close[t]) - 1;
            var realised = forward > Band ? 1 : forward < -Band ? 2 : 0;
            scored++;
            correct += labels[t] == realised ? 1 : 0;
        }

        return scored == 0 ? 0 : (double)correct / scored;
    }
}
