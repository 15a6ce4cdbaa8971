using OptimizerGrpc.Trading;

namespace OptimizerGrpc.Optimization;

/// <summary>
/// One evaluation's private strategy: copies of every registered rule, a weight per rule and the invested fraction.
/// The position is the weighted mean of the rules' positions (Σ wᵢ·pᵢ / Σ wᵢ, flat when every weight is 0) times
/// the fraction. Not thread-safe: one evaluation uses it at a time.
/// </summary>
internal sealed class Strategy
{
    private readonly IReadOnlyList<NamedRule> _rules;
    private readonly Dictionary<string, ITradingRule> _byName;
    private readonly Dictionary<string, double> _weights = new(StringComparer.Ordinal);
    private double _fraction = 1;
    private double[] _scratch = [];

    public Strategy(IReadOnlyList<NamedRule> registered)
    {
        _rules = [.. registered.Select(r => r with { Rule = r.Rule.Clone() })];
        _byName = _rules.ToDictionary(r => r.Name, r => r.Rule, StringComparer.Ordinal);
    }

    public void Reset(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> rules, IReadOnlyDictionary<string, double> weights, double fraction)
    {
        foreach (var (name, values) in rules)
        {
            _byName[name].SetParameters(values);
        }

        foreach (var (name, weight) in weights)
        {
            _weights[name] = weight;
        }

        _fraction = fraction;
    }

    /// <summary>Applies a target's values (already validated by the target) to this copy.</summary>
    public void Apply(IOptimizationTarget target, IReadOnlyDictionary<string, double> values)
    {
        switch (target)
        {
            case RuleParametersTarget:
                foreach (var (rule, ruleValues) in NamedRule.Group(values))
                {
                    _byName[rule].SetParameters(ruleValues);
                }

                break;
            case RuleWeightsTarget:
                foreach (var (name, weight) in values)
                {
                    _weights[name[..name.LastIndexOf('.')]] = weight;
                }

                break;
            case PositionSizingTarget:
                if (values.TryGetValue(PositionSizer.FractionName, out var fraction))
                {
                    _fraction = fraction;
                }

                break;
            default:
                throw new ArgumentException($"{target.GetType().Name} is not part of the backtested strategy.", nameof(target));
        }
    }

    public double[] Positions(ReadOnlySpan<double> close)
    {
        var combined = new double[close.Length];
        if (_scratch.Length != close.Length)
        {
            _scratch = new double[close.Length];
        }

        double totalWeight = 0;
        foreach (var (name, rule) in _rules)
        {
            var weight = _weights[name];
            if (weight == 0)
            {
                continue;
            }

            rule.ComputePositions(close, _scratch);
            for (var t = 0; t < combined.Length; t++)
            {
                combined[t] += weight * _scratch[t];
            }

            totalWeight += weight;
        }

        var scale = totalWeight > 0 ? _fraction / totalWeight : 0;
        for (var t = 0; t < combined.Length; t++)
        {
            combined[t] *= scale;
        }

        return combined;
    }
}
