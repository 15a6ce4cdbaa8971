using System.Globalization;
using OptimizerGrpc.Trading;

namespace OptimizerGrpc.Optimization;

/// <summary>
/// The weight of each rule in the combined position, named "rule.weight" (the spec's <c>RuleWeightsTarget</c>).
/// The strategy's position is the weighted mean of the rules' positions, Σ wᵢ·pᵢ / Σ wᵢ, flat when every weight is 0.
/// </summary>
public sealed class RuleWeightsTarget : IOptimizationTarget
{
    private const string Suffix = ".weight";
    private readonly Dictionary<string, double> _weights;
    private readonly IReadOnlyDictionary<string, ParameterDomain> _space;

    /// <summary>Targets <paramref name="rules"/> under their own names.</summary>
    public RuleWeightsTarget(IEnumerable<ITradingRule> rules, double minWeight = 0.0, double maxWeight = 1.0, double weightStep = 0.1)
        : this(NamedRule.ByOwnName(rules), minWeight, maxWeight, weightStep)
    {
    }

    /// <summary>Targets rules under the given names; every weight starts at 1.</summary>
    /// <param name="rules">The rules.</param>
    /// <param name="minWeight">Smallest weight (default 0).</param>
    /// <param name="maxWeight">Largest weight (default 1).</param>
    /// <param name="weightStep">Grid step (default 0.1).</param>
    public RuleWeightsTarget(IEnumerable<NamedRule> rules, double minWeight = 0.0, double maxWeight = 1.0, double weightStep = 0.1)
    {
        if (!(minWeight >= 0 && minWeight <= maxWeight && weightStep > 0) || !double.IsFinite(maxWeight))
        {
            throw new ArgumentOutOfRangeException(nameof(weightStep),
                string.Create(CultureInfo.InvariantCulture, $"Weights need 0 <= min <= max and step > 0, got [{minWeight}, {maxWeight}] step {weightStep}."));
        }

        Rules = NamedRule.CheckUnique(rules);
        MinWeight = minWeight;
        MaxWeight = maxWeight;
        var domain = ParameterDomain.Float(minWeight, maxWeight, weightStep, 1.0);
        _space = Rules.ToDictionary(r => r.Name + Suffix, _ => domain, StringComparer.Ordinal);
        _weights = Rules.ToDictionary(r => r.Name, _ => Math.Clamp(1.0, minWeight, maxWeight), StringComparer.Ordinal);
    }

    /// <summary>The weighted rules.</summary>
    public IReadOnlyList<NamedRule> Rules { get; }

    /// <summary>Smallest weight.</summary>
    public double MinWeight { get; }

    /// <summary>Largest weight.</summary>
    public double MaxWeight { get; }

    /// <summary>The current weight of a rule.</summary>
    public double WeightOf(string rule) => _weights[rule];

    /// <inheritdoc />
    public IReadOnlyDictionary<string, ParameterDomain> GetParameterSpace() => _space;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> GetParameters() =>
        _weights.ToDictionary(w => w.Key + Suffix, w => w.Value, StringComparer.Ordinal);

    /// <inheritdoc />
    public void SetParameters(IReadOnlyDictionary<string, double> parameters)
    {
        var (isValid, error) = ValidateParameters(parameters);
        if (!isValid)
        {
            throw new ArgumentException(error, nameof(parameters));
        }

        foreach (var (name, value) in parameters)
        {
            _weights[name[..^Suffix.Length]] = value;
        }
    }

    /// <inheritdoc />
    public (bool IsValid, string? Error) ValidateParameters(IReadOnlyDictionary<string, double> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        foreach (var (name, value) in parameters)
        {
            if (!_space.ContainsKey(name))
            {
                return (false, $"unknown weight '{name}'; expected one of {string.Join(", ", _space.Keys)}.");
            }

            if (!(value >= MinWeight && value <= MaxWeight))
            {
                return (false, string.Create(CultureInfo.InvariantCulture, $"Weight {name} out of range [{MinWeight}, {MaxWeight}]: {value}"));
            }
        }

        return (true, null);
    }

    /// <inheritdoc />
    public void Reset()
    {
        foreach (var rule in Rules)
        {
            _weights[rule.Name] = Math.Clamp(1.0, MinWeight, MaxWeight);
        }
    }

    /// <inheritdoc />
    public TargetMetadata GetMetadata() =>
        new(nameof(RuleWeightsTarget), $"weights of the rules {string.Join(", ", Rules.Select(r => r.Name))} in the combined position");
}
