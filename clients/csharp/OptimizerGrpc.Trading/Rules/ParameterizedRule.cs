namespace OptimizerGrpc.Trading;

/// <summary>Base for rules whose parameters are a fixed set of named numbers; keeps the bookkeeping in one place.</summary>
public abstract class ParameterizedRule : ITradingRule
{
    private Dictionary<string, double> _values;

    /// <summary>Creates the rule with every parameter at its default.</summary>
    protected ParameterizedRule(IReadOnlyList<RuleParameter> space)
    {
        ParameterSpace = space;
        _values = space.ToDictionary(p => p.Name, p => p.Default, StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public IReadOnlyList<RuleParameter> ParameterSpace { get; }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> GetParameters() => new Dictionary<string, double>(_values, StringComparer.Ordinal);

    /// <inheritdoc />
    public void SetParameters(IReadOnlyDictionary<string, double> parameters)
    {
        var (merged, error) = RuleParameters.Merge(ParameterSpace, _values, parameters);
        error ??= merged is null ? null : Check(merged);
        if (error is not null)
        {
            throw new ArgumentException($"{Name}: {error}", nameof(parameters));
        }

        _values = merged!;
    }

    /// <inheritdoc />
    public (bool IsValid, string? Error) ValidateParameters(IReadOnlyDictionary<string, double> parameters)
    {
        var (merged, error) = RuleParameters.Merge(ParameterSpace, _values, parameters);
        error ??= merged is null ? null : Check(merged);
        return (error is null, error);
    }

    /// <inheritdoc />
    /// <remarks>
    /// A memberwise copy is independent: <see cref="SetParameters"/> replaces the value table rather than changing
    /// it, and the other state of the toolkit's rules is set at construction. A subclass with mutable state of its
    /// own overrides this.
    /// </remarks>
    public virtual ITradingRule Clone() => (ITradingRule)MemberwiseClone();

    /// <inheritdoc />
    public abstract void ComputePositions(ReadOnlySpan<double> close, Span<double> positions);

    /// <summary>Returns why a complete assignment is invalid, or null when it is valid.</summary>
    protected abstract string? Check(IReadOnlyDictionary<string, double> values);

    /// <summary>The current value of a parameter.</summary>
    protected double Value(string name) => _values[name];

    /// <summary>Throws unless the output span matches the input length.</summary>
    protected static void RequireSameLength(ReadOnlySpan<double> close, Span<double> positions)
    {
        if (close.Length != positions.Length)
        {
            throw new ArgumentException(
                $"positions has {positions.Length} entries but close has {close.Length}; they must be equal.", nameof(positions));
        }
    }
}
