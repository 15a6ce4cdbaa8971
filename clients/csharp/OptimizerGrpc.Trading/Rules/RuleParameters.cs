namespace OptimizerGrpc.Trading;

/// <summary>Shared checks for rule parameter assignments.</summary>
internal static class RuleParameters
{
    /// <summary>Merges <paramref name="changes"/> over <paramref name="current"/>, rejecting unknown names and non-integral integers.</summary>
    public static (Dictionary<string, double>? Merged, string? Error) Merge(
        IReadOnlyList<RuleParameter> space, IReadOnlyDictionary<string, double> current,
        IReadOnlyDictionary<string, double> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var merged = new Dictionary<string, double>(current, StringComparer.Ordinal);
        foreach (var (name, value) in changes)
        {
            var spec = FindParameter(space, name);
            if (spec is null)
            {
                return (null, $"unknown parameter '{name}'; expected one of {string.Join(", ", space.Select(p => p.Name))}.");
            }

            if (!double.IsFinite(value))
            {
                return (null, $"{name} must be finite, got {value}.");
            }

            if (spec.Kind == RuleParameterKind.Integer && value != Math.Round(value))
            {
                return (null, $"{name} must be a whole number, got {value}.");
            }

            merged[name] = value;
        }

        return (merged, null);
    }

    private static RuleParameter? FindParameter(IReadOnlyList<RuleParameter> space, string name)
    {
        foreach (var parameter in space)
        {
            if (parameter.Name == name)
            {
                return parameter;
            }
        }

        return null;
    }
}
