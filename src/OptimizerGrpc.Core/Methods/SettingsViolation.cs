namespace OptimizerGrpc.Core.Methods;

/// <summary>One invalid setting: the field in the wire's snake_case (e.g. <c>population_size</c>) and what is wrong,
/// with the allowed range. The server prefixes the field with its path in the request.</summary>
public readonly record struct SettingsViolation(string Field, string Message);

/// <summary>Range checks that word their violation the same way for every method's settings.</summary>
internal static class SettingsRules
{
    public static void Between(List<SettingsViolation> violations, string field, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            violations.Add(new(field, $"must be between {min} and {max}, got {value}"));
        }
    }

    public static void Between(List<SettingsViolation> violations, string field, double value, double min, double max)
    {
        if (!(value >= min && value <= max))
        {
            violations.Add(new(field, FormattableString.Invariant($"must be between {min} and {max}, got {value}")));
        }
    }

    /// <summary>min &lt; value &lt;= max.</summary>
    public static void AboveAtMost(List<SettingsViolation> violations, string field, double value, double min, double max)
    {
        if (!(value > min && value <= max))
        {
            violations.Add(new(field, FormattableString.Invariant($"must be greater than {min} and at most {max}, got {value}")));
        }
    }

    public static void ThrowIfAny(IReadOnlyList<SettingsViolation> violations, string paramName)
    {
        if (violations.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", violations.Select(v => $"{v.Field}: {v.Message}")), paramName);
        }
    }
}
