using System.Globalization;

namespace OptimizerGrpc.Optimization;

/// <summary>
/// Labels each bar by trend: close over its <c>lookback</c>-bar simple moving average, minus one, above
/// <c>threshold</c> is "trending_up", below −threshold "trending_down", otherwise (and during warm-up) "sideways".
/// Uses closes up to the bar only. Defaults lookback 50, threshold 0.02.
/// </summary>
public sealed class TrendRegimeDetector : IRegimeDetector
{
    /// <summary>Parameter name of the moving-average length (bars).</summary>
    public const string Lookback = "lookback";

    /// <summary>Parameter name of the distance from the average that counts as a trend (fraction).</summary>
    public const string Threshold = "threshold";

    /// <summary>Regime names, indexed by label.</summary>
    public static IReadOnlyList<string> RegimeNames { get; } = ["sideways", "trending_up", "trending_down"];

    /// <summary>The searched ranges: lookback 10..200 step 10, threshold 0..0.10 step 0.01.</summary>
    public static IReadOnlyDictionary<string, ParameterDomain> DefaultSpace { get; } = new Dictionary<string, ParameterDomain>(StringComparer.Ordinal)
    {
        [Lookback] = ParameterDomain.Integer(10, 200, 10, 50),
        [Threshold] = ParameterDomain.Float(0, 0.10, 0.01, 0.02),
    };

    /// <summary>Moving-average length in bars.</summary>
    public int LookbackBars { get; set; } = 50;

    /// <summary>Relative distance from the average that counts as a trend.</summary>
    public double ThresholdFraction { get; set; } = 0.02;

    /// <summary>Why the values are invalid, or null.</summary>
    public static string? Check(double lookback, double threshold) =>
        lookback >= 2 && lookback == Math.Round(lookback) && threshold >= 0 && double.IsFinite(threshold)
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{Lookback} must be a whole number >= 2 and {Threshold} >= 0, got {lookback} and {threshold}.");

    /// <inheritdoc />
    IReadOnlyList<string> IRegimeDetector.RegimeNames => RegimeNames;

    /// <inheritdoc />
    IReadOnlyDictionary<string, ParameterDomain> IRegimeDetector.DefaultSpace => DefaultSpace;

    /// <summary>Bars before the first full moving average (lookback − 1); they are labelled "sideways".</summary>
    public int WarmupBars => LookbackBars - 1;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> GetParameters() => new Dictionary<string, double>(StringComparer.Ordinal)
    {
        [Lookback] = LookbackBars,
        [Threshold] = ThresholdFraction,
    };

    /// <inheritdoc />
    public string? Check(IReadOnlyDictionary<string, double> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return parameters.Keys.FirstOrDefault(k => !DefaultSpace.ContainsKey(k)) is { } unknown
            ? $"unknown parameter '{unknown}'; expected {Lookback}, {Threshold}."
            : Check(parameters.GetValueOrDefault(Lookback, LookbackBars), parameters.GetValueOrDefault(Threshold, ThresholdFraction));
    }

    /// <inheritdoc />
    public void SetParameters(IReadOnlyDictionary<string, double> parameters)
    {
        if (Check(parameters) is { } error)
        {
            throw new ArgumentException(error, nameof(parameters));
        }

        LookbackBars = (int)parameters.GetValueOrDefault(Lookback, LookbackBars);
        ThresholdFraction = parameters.GetValueOrDefault(Threshold, ThresholdFraction);
    }

    /// <inheritdoc />
    public IRegimeDetector With(IReadOnlyDictionary<string, double> parameters)
    {
        var copy = new TrendRegimeDetector { LookbackBars = LookbackBars, ThresholdFraction = ThresholdFraction };
        copy.SetParameters(parameters);
        return copy;
    }

    /// <summary>One label per bar: an index into <see cref="RegimeNames"/>.</summary>
    public int[] Detect(ReadOnlySpan<double> close)
    {
        var labels = new int[close.Length];
        double sum = 0;
        for (var t = 0; t < close.Length; t++)
        {
            sum += close[t];
            if (t >= LookbackBars)
            {
                sum -= close[t - LookbackBars];
            }

            if (t + 1 < LookbackBars)
            {
                continue;
            }

            var distance = (close[t] * LookbackBars / sum) - 1;
            labels[t] = distance > ThresholdFraction ? 1 : distance < -ThresholdFraction ? 2 : 0;
        }

        return labels;
    }

    /// <inheritdoc />
    /// <remarks>The return over the horizon: above +band "trending_up", below −band "trending_down", else "sideways".</remarks>
    public int RealisedRegime(ReadOnlySpan<double> close, int bar, int horizonBars, double band)
    {
        if (bar < 0 || bar + horizonBars >= close.Length)
        {
            return -1;
        }

        var forward = (close[bar + horizonBars] / close[bar]) - 1;
        return forward > band ? 1 : forward < -band ? 2 : 0;
    }
}
