namespace OptimizerGrpc.Optimization;

/// <summary>
/// The parameters of a regime detector (<see cref="TrendRegimeDetector"/> or <see cref="VolatilityRegimeDetector"/>:
/// "lookback", "threshold"). Its labels feed regime-specific sequences; a single-stage backtest does not use them, so
/// the manager refuses to search it on its own.
/// </summary>
public sealed class RegimeDetectorTarget : IOptimizationTarget
{
    private readonly IReadOnlyDictionary<string, double> _initial;
    private readonly IReadOnlyDictionary<string, ParameterDomain> _space;

    /// <summary>Targets <paramref name="detector"/>, over its <see cref="IRegimeDetector.DefaultSpace"/> unless a space is given.</summary>
    public RegimeDetectorTarget(IRegimeDetector detector, IReadOnlyDictionary<string, ParameterDomain>? parameterSpace = null)
    {
        Detector = detector ?? throw new ArgumentNullException(nameof(detector));
        _initial = detector.GetParameters();
        _space = parameterSpace ?? detector.DefaultSpace;
        if (_space.Keys.FirstOrDefault(k => !detector.DefaultSpace.ContainsKey(k)) is { } unknown)
        {
            throw new ArgumentException($"unknown detector parameter '{unknown}'; expected {Expected}.", nameof(parameterSpace));
        }
    }

    /// <summary>The detector.</summary>
    public IRegimeDetector Detector { get; }

    private string Expected => string.Join(", ", Detector.DefaultSpace.Keys);

    /// <inheritdoc />
    public IReadOnlyDictionary<string, ParameterDomain> GetParameterSpace() => _space;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> GetParameters() => Detector.GetParameters();

    /// <inheritdoc />
    public void SetParameters(IReadOnlyDictionary<string, double> parameters) => Detector.SetParameters(parameters);

    /// <inheritdoc />
    public (bool IsValid, string? Error) ValidateParameters(IReadOnlyDictionary<string, double> parameters)
    {
        var error = Detector.Check(parameters);
        return (error is null, error);
    }

    /// <inheritdoc />
    public void Reset() => Detector.SetParameters(_initial);

    /// <inheritdoc />
    public TargetMetadata GetMetadata() => new(nameof(RegimeDetectorTarget), $"{Expected} of a {Detector.GetType().Name}");
}
