using OptimizerGrpc.Trading;

namespace OptimizerGrpc.Optimization;

/// <summary>A trading rule under the name a configuration gives it (e.g. "ma_filter_rule" for a second crossover).</summary>
/// <param name="Name">Letters, digits and '_'; used as the prefix of the rule's parameter names.</param>
/// <param name="Rule">The rule instance; shared by every target that names it.</param>
public sealed record NamedRule(string Name, ITradingRule Rule)
{
    internal static IReadOnlyList<NamedRule> ByOwnName(IEnumerable<ITradingRule> rules) =>
        [.. (rules ?? throw new ArgumentNullException(nameof(rules))).Select(r => new NamedRule(r.Name, r))];

    internal static IReadOnlyList<NamedRule> CheckUnique(IEnumerable<NamedRule> rules)
    {
        var list = (rules ?? throw new ArgumentNullException(nameof(rules))).ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("Give at least one rule.", nameof(rules));
        }

        foreach (var rule in list)
        {
            if (!Names.IsIdentifier(rule.Name) || rule.Name.Contains("__", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Rule name '{rule.Name}' must use letters, digits and single '_', not starting with a digit.", nameof(rules));
            }
        }

        var duplicate = list.GroupBy(r => r.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? list : throw new ArgumentException($"Rule name '{duplicate.Key}' is given twice.", nameof(rules));
    }

    /// <summary>Splits "rule.parameter" names into per-rule assignments.</summary>
    internal static Dictionary<string, Dictionary<string, double>> Group(IReadOnlyDictionary<string, double> parameters)
    {
        var groups = new Dictionary<string, Dictionary<string, double>>(StringComparer.Ordinal);
        foreach (var (fullName, value) in parameters)
        {
            var dot = fullName.IndexOf('.', StringComparison.Ordinal);
            var rule = fullName[..dot];
            if (!groups.TryGetValue(rule, out var values))
            {
                groups[rule] = values = new Dictionary<string, double>(StringComparer.Ordinal);
            }

            values[fullName[(dot + 1)..]] = value;
        }

        return groups;
    }
}
