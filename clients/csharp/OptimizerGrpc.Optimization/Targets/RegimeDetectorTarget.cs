namespace OptimizerGrpc.Optimization;

/// <summary>
/// The parameters of a <see cref="TrendRegimeDetector"/> ("lookback", "threshold"). Its labels feed regime-specific
/// sequences; a single-stage backtest does not use them, so the manager refuses to search it on its own.
/// </summary>
public sealed class RegimeDetectorTarget : IOptimizationTarget
{
    private readonly (int Lookback, double Threshold) _initial;
    private readonly IReadOnlyDictionary<string, ParameterDomain> _space;

    /// <summary>Targets <paramref name="detector"/>, over <see cref="TrendRegimeDetector.DefaultSpace"/> unless a space is given.</summary>
    public RegimeDetectorTarget(TrendRegimeDetector detector, IReadOnlyDictionary<string, ParameterDomain>? parameterSpace = null)
    {
        Detector = detector ?? throw new ArgumentNullException(nameof(detector));
        _initial = (detector.LookbackBars, detector.ThresholdFraction);
        _space = parameterSpace ?? TrendRegimeDetector.DefaultSpace;
        if (_space.Keys.FirstOrDefault(k => !TrendRegimeDetector.DefaultSpace.ContainsKey(k)) is { } unknown)
        {
            throw new ArgumentException($"unknown detector parameter '{unknown}'; expected lookback, threshold.", nameof(parameterSpace));
        }
    }

    /// <summary>The detector.</summary>
    public TrendRegimeDetector Detector { get; }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, ParameterDomain> GetParameterSpace() => _space;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> GetParameters() => new Dictionary<string, double>(StringComparer.Ordinal)
    {
        [TrendRegimeDetector.Lookback] = Detector.LookbackBars,
        [TrendRegimeDetector.Threshold] = Detector.ThresholdFraction,
    };

    /// <inheritdoc />
    public void SetParameters(IReadOnlyDictionary<string, double> parameters)
    {
        var (isValid, error) = ValidateParameters(parameters);
        if (!isValid)
        {
            throw new ArgumentException(error, nameof(parameters));
        }

        if (parameters.TryGetValue(TrendRegimeDetector.Lookback, out var lookback))
        {
            Detector.LookbackBars = (int)lookback;
        }

        if (parameters.TryGetValue(TrendRegimeDetector.Threshold, out var threshold))
        {
            Detector.ThresholdFraction = threshold;
        }
    }

    /// <inheritdoc />
    public (bool IsValid, string? Error) ValidateParameters(IReadOnlyDictionary<string, double> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Keys.FirstOrDefault(k => !TrendRegimeDetector.DefaultSpace.ContainsKey(k)) is { } unknown)
        {
            return (false, $"unknown parameter '{unknown}'; expected lookback, threshold.");
        }

        var error = TrendRegimeDetector.Check(
            parameters.GetValueOrDefault(TrendRegimeDetector.Lookback, Detector.LookbackBars),
            parameters.GetValueOrDefault(TrendRegimeDetector.Threshold, Detector.ThresholdFraction));
        return (error is null, error);
    }

    /// <inheritdoc />
    public void Reset() => (Detector.LookbackBars, Detector.ThresholdFraction) = _initial;

    /// <inheritdoc />
    public TargetMetadata GetMetadata() => new(nameof(RegimeDetectorTarget), "lookback and threshold of a trend regime detector");
}
