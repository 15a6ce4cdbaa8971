using OptimizerGrpc.Trading;

namespace OptimizerGrpc.Optimization;

/// <summary>
/// The parameters of one or more trading rules, named "rule.parameter" (the spec's <c>RuleParametersTarget</c>).
/// The space is the rules' own ranges unless an explicit space is given, which then replaces it: parameters it
/// leaves out keep their current value.
/// </summary>
public sealed class RuleParametersTarget : IOptimizationTarget
{
    private readonly Dictionary<string, ParameterDomain> _space;
    private readonly Dictionary<string, IReadOnlyDictionary<string, double>> _initial;

    /// <summary>Targets <paramref name="rules"/> under their own names.</summary>
    public RuleParametersTarget(IEnumerable<ITradingRule> rules, IReadOnlyDictionary<string, ParameterDomain>? parameterSpace = null)
        : this(NamedRule.ByOwnName(rules), parameterSpace)
    {
    }

    /// <summary>Targets rules under the given names (two instances of one rule class need two names).</summary>
    public RuleParametersTarget(IEnumerable<NamedRule> rules, IReadOnlyDictionary<string, ParameterDomain>? parameterSpace = null)
    {
        Rules = NamedRule.CheckUnique(rules);
        _initial = Rules.ToDictionary(r => r.Name, r => r.Rule.GetParameters(), StringComparer.Ordinal);
        var full = new Dictionary<string, ParameterDomain>(StringComparer.Ordinal);
        foreach (var (name, rule) in Rules)
        {
            foreach (var p in rule.ParameterSpace)
            {
                full[$"{name}.{p.Name}"] = ParameterDomain.FromRule(p);
            }
        }

        if (parameterSpace is not null)
        {
            var unknown = parameterSpace.Keys.Where(k => !full.ContainsKey(k)).ToList();
            if (unknown.Count > 0 || parameterSpace.Count == 0)
            {
                throw new ArgumentException(
                    $"parameter_space must name some of {string.Join(", ", full.Keys)}; unknown: {string.Join(", ", unknown)}.", nameof(parameterSpace));
            }

            full = new Dictionary<string, ParameterDomain>(parameterSpace, StringComparer.Ordinal);
        }

        _space = full;
    }

    /// <summary>The rules, by the names used in parameter names.</summary>
    public IReadOnlyList<NamedRule> Rules { get; }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, ParameterDomain> GetParameterSpace() => _space;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> GetParameters()
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, rule) in Rules)
        {
            foreach (var (parameter, value) in rule.GetParameters())
            {
                values[$"{name}.{parameter}"] = value;
            }
        }

        return values;
    }

    /// <inheritdoc />
    public void SetParameters(IReadOnlyDictionary<string, double> parameters)
    {
        var (isValid, error) = ValidateParameters(parameters);
        if (!isValid)
        {
            throw new ArgumentException(error, nameof(parameters));
        }

        foreach (var (name, values) in NamedRule.Group(parameters))
        {
            Find(name)!.SetParameters(values);
        }
    }

    /// <inheritdoc />
    public (bool IsValid, string? Error) ValidateParameters(IReadOnlyDictionary<string, double> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Keys.FirstOrDefault(k => !k.Contains('.', StringComparison.Ordinal)) is { } bare)
        {
            return (false, $"'{bare}' is not a rule parameter; use 'rule.parameter'.");
        }

        foreach (var (name, values) in NamedRule.Group(parameters))
        {
            if (Find(name) is not { } rule)
            {
                return (false, $"unknown rule '{name}'; this target has {string.Join(", ", Rules.Select(r => r.Name))}.");
            }

            var (ok, error) = rule.ValidateParameters(values);
            if (!ok)
            {
                return (false, $"Invalid parameters for rule {name}: {error}");
            }
        }

        return (true, null);
    }

    /// <inheritdoc />
    public void Reset()
    {
        foreach (var (name, rule) in Rules)
        {
            rule.SetParameters(_initial[name]);
        }
    }

    /// <inheritdoc />
    public TargetMetadata GetMetadata() =>
        new(nameof(RuleParametersTarget), $"parameters of the rules {string.Join(", ", Rules.Select(r => r.Name))}");

    /// <inheritdoc />
    public IReadOnlyList<string> GetRelationships()
    {
        var relationships = new List<string>();
        foreach (var (name, rule) in Rules)
        {
            // The toolkit rules' own cross-parameter checks, written as expressions so the server never issues a violation.
            (string Low, string High)? pair = rule switch
            {
                MovingAverageCrossoverRule => (MovingAverageCrossoverRule.FastWindow, MovingAverageCrossoverRule.SlowWindow),
                RsiRule => (RsiRule.Oversold, RsiRule.Overbought),
                _ => null,
            };
            if (pair is var (low, high) && _space.ContainsKey($"{name}.{low}") && _space.ContainsKey($"{name}.{high}"))
            {
                relationships.Add($"{name}.{low} < {name}.{high}");
            }
        }

        return relationships;
    }

    private ITradingRule? Find(string name) => Rules.FirstOrDefault(r => r.Name == name)?.Rule;
}
