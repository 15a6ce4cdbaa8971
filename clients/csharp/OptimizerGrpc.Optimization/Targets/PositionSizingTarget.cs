namespace OptimizerGrpc.Optimization;

/// <summary>The invested fraction of a <see cref="PositionSizer"/>, parameter "fraction".</summary>
public sealed class PositionSizingTarget : IOptimizationTarget
{
    private readonly double _initial;
    private readonly IReadOnlyDictionary<string, ParameterDomain> _space;

    /// <summary>Targets <paramref name="sizer"/>; the fraction is searched over [<paramref name="low"/>, sizer max] on <paramref name="step"/>.</summary>
    public PositionSizingTarget(PositionSizer sizer, double low = 0.1, double step = 0.1)
    {
        Sizer = sizer ?? throw new ArgumentNullException(nameof(sizer));
        _initial = sizer.Fraction;
        _space = new Dictionary<string, ParameterDomain>(StringComparer.Ordinal)
        {
            [PositionSizer.FractionName] = ParameterDomain.Float(low, sizer.MaxFraction, step, sizer.Fraction),
        };
    }

    /// <summary>The sizer.</summary>
    public PositionSizer Sizer { get; }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, ParameterDomain> GetParameterSpace() => _space;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> GetParameters() =>
        new Dictionary<string, double>(StringComparer.Ordinal) { [PositionSizer.FractionName] = Sizer.Fraction };

    /// <inheritdoc />
    public void SetParameters(IReadOnlyDictionary<string, double> parameters)
    {
        var (isValid, error) = ValidateParameters(parameters);
        if (!isValid)
        {
            throw new ArgumentException(error, nameof(parameters));
        }

        if (parameters.TryGetValue(PositionSizer.FractionName, out var fraction))
        {
            Sizer.Fraction = fraction;
        }
    }

    /// <inheritdoc />
    public (bool IsValid, string? Error) ValidateParameters(IReadOnlyDictionary<string, double> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        foreach (var (name, value) in parameters)
        {
            if (name != PositionSizer.FractionName)
            {
                return (false, $"unknown parameter '{name}'; expected {PositionSizer.FractionName}.");
            }

            if (Sizer.Check(value) is { } error)
            {
                return (false, error);
            }
        }

        return (true, null);
    }

    /// <inheritdoc />
    public void Reset() => Sizer.Fraction = _initial;

    /// <inheritdoc />
    public TargetMetadata GetMetadata() => new(nameof(PositionSizingTarget), "fraction of equity invested by fixed-fraction position sizing");
}
