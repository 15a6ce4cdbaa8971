using System.Globalization;

namespace OptimizerGrpc.Optimization;

/// <summary>
/// Labels each bar by volatility: the annualised historical volatility of the last <c>lookback</c> log returns
/// (ending at the bar, so only past closes are used) above <c>threshold</c> is "high_volatility", otherwise
/// "low_volatility". The first <c>lookback</c> bars have fewer returns behind them and are labelled -1 (no regime).
/// Defaults lookback 20, threshold 0.15 (15% a year), 252 bars a year.
/// </summary>
/// <remarks>
/// The estimator is the historical volatility of Hull, "Options, Futures, and Other Derivatives" (chapter "The
/// Black–Scholes–Merton model", section "Estimating volatility from historical data"): u_i = ln(S_i / S_(i−1)),
/// s = sqrt(Σ(u_i − ū)² / (n − 1)) over the n returns, σ = s / sqrt(τ) with τ = 1 / AnnualizationFactor years per bar.
/// The threshold is an annualised volatility rather than a quantile of the series, because a quantile would depend on
/// bars after the one being labelled.
/// </remarks>
public sealed class VolatilityRegimeDetector : IRegimeDetector
{
    /// <summary>Parameter name of the number of log returns in the window (bars).</summary>
    public const string Lookback = "lookback";

    /// <summary>Parameter name of the annualised volatility above which a bar is "high_volatility" (0.15 = 15%).</summary>
    public const string Threshold = "threshold";

    private double _annualizationFactor = 252;

    /// <summary>Regime names, indexed by label.</summary>
    public static IReadOnlyList<string> RegimeNames { get; } = ["low_volatility", "high_volatility"];

    /// <summary>The searched ranges: lookback 10..100 step 10, threshold 0.05..0.40 step 0.05.</summary>
    public static IReadOnlyDictionary<string, ParameterDomain> DefaultSpace { get; } = new Dictionary<string, ParameterDomain>(StringComparer.Ordinal)
    {
        [Lookback] = ParameterDomain.Integer(10, 100, 10, 20),
        [Threshold] = ParameterDomain.Float(0.05, 0.40, 0.05, 0.15),
    };

    /// <summary>Number of log returns in the window, in bars.</summary>
    public int LookbackBars { get; set; } = 20;

    /// <summary>Annualised volatility above which a bar is "high_volatility".</summary>
    public double ThresholdVolatility { get; set; } = 0.15;

    /// <summary>Bars per year, used to annualise the per-bar standard deviation. Default 252 (daily bars).</summary>
    public double AnnualizationFactor
    {
        get => _annualizationFactor;
        init => _annualizationFactor = value > 0 && double.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(AnnualizationFactor), value, "The annualization factor must be a finite number > 0.");
    }

    /// <inheritdoc />
    IReadOnlyList<string> IRegimeDetector.RegimeNames => RegimeNames;

    /// <inheritdoc />
    IReadOnlyDictionary<string, ParameterDomain> IRegimeDetector.DefaultSpace => DefaultSpace;

    /// <summary>Bars without <c>lookback</c> returns behind them (lookback); they are labelled -1.</summary>
    public int WarmupBars => LookbackBars;

    /// <summary>Why the values are invalid, or null.</summary>
    public static string? Check(double lookback, double threshold) =>
        lookback >= 2 && lookback == Math.Round(lookback) && lookback <= int.MaxValue && threshold > 0 && double.IsFinite(threshold)
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{Lookback} must be a whole number >= 2 and {Threshold} > 0, got {lookback} and {threshold}.");

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> GetParameters() => new Dictionary<string, double>(StringComparer.Ordinal)
    {
        [Lookback] = LookbackBars,
        [Threshold] = ThresholdVolatility,
    };

    /// <inheritdoc />
    public string? Check(IReadOnlyDictionary<string, double> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return parameters.Keys.FirstOrDefault(k => !DefaultSpace.ContainsKey(k)) is { } unknown
            ? $"unknown parameter '{unknown}'; expected {Lookback}, {Threshold}."
            : Check(parameters.GetValueOrDefault(Lookback, LookbackBars), parameters.GetValueOrDefault(Threshold, ThresholdVolatility));
    }

    /// <inheritdoc />
    public void SetParameters(IReadOnlyDictionary<string, double> parameters)
    {
        if (Check(parameters) is { } error)
        {
            throw new ArgumentException(error, nameof(parameters));
        }

        LookbackBars = (int)parameters.GetValueOrDefault(Lookback, LookbackBars);
        ThresholdVolatility = parameters.GetValueOrDefault(Threshold, ThresholdVolatility);
    }

    /// <inheritdoc />
    public IRegimeDetector With(IReadOnlyDictionary<string, double> parameters)
    {
        var copy = new VolatilityRegimeDetector { LookbackBars = LookbackBars, ThresholdVolatility = ThresholdVolatility, AnnualizationFactor = AnnualizationFactor };
        copy.SetParameters(parameters);
        return copy;
    }

    /// <summary>
    /// One label per bar: 0 "low_volatility", 1 "high_volatility", or -1 for the first <c>lookback</c> bars.
    /// Throws <see cref="ArgumentException"/> for a close that is not a finite number > 0 (its log return is undefined).
    /// </summary>
    public int[] Detect(ReadOnlySpan<double> close)
    {
        if (Check(LookbackBars, ThresholdVolatility) is { } invalid)
        {
            throw new InvalidOperationException(invalid);
        }

        var returns = new double[close.Length];
        for (var t = 0; t < close.Length; t++)
        {
            if (!(close[t] > 0) || !double.IsFinite(close[t]))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"close[{t}] is {close[t]}; closes must be finite numbers > 0."), nameof(close));
            }

            returns[t] = t == 0 ? double.NaN : Math.Log(close[t] / close[t - 1]);
        }

        var labels = new int[close.Length];
        var n = LookbackBars;
        var scale = Math.Sqrt(AnnualizationFactor);
        for (var t = 0; t < close.Length; t++)
        {
            if (t < n)
            {
                labels[t] = -1;
                continue;
            }

            // Two passes over the window (returns t−n+1..t) rather than running sums, which lose precision when
            // the mean is large next to the spread.
            var window = returns.AsSpan(t - n + 1, n);
            double mean = 0, squares = 0;
            foreach (var u in window)
            {
                mean += u;
            }

            mean /= n;
            foreach (var u in window)
            {
                squares += (u - mean) * (u - mean);
            }

            var volatility = Math.Sqrt(squares / (n - 1)) * scale;
            labels[t] = volatility > ThresholdVolatility ? 1 : 0;
        }

        return labels;
    }

    /// <inheritdoc />
    /// <remarks>
    /// The annualised volatility of the log returns of bars bar+1..bar+horizon (the same estimator as
    /// <see cref="Detect"/>, looking forward) against <see cref="ThresholdVolatility"/>; needs a horizon of 2 bars or more.
    /// </remarks>
    public int RealisedRegime(ReadOnlySpan<double> close, int bar, int horizonBars, double band)
    {
        if (bar < 0 || horizonBars < 2 || bar + horizonBars >= close.Length)
        {
            return -1;
        }

        double mean = 0, squares = 0;
        for (var t = bar + 1; t <= bar + horizonBars; t++)
        {
            mean += Math.Log(close[t] / close[t - 1]);
        }

        mean /= horizonBars;
        for (var t = bar + 1; t <= bar + horizonBars; t++)
        {
            var u = Math.Log(close[t] / close[t - 1]) - mean;
            squares += u * u;
        }

        var volatility = Math.Sqrt(squares / (horizonBars - 1) * AnnualizationFactor);
        return volatility > ThresholdVolatility ? 1 : 0;
    }
}
