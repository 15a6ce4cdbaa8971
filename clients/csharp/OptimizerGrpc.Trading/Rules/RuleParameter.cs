namespace OptimizerGrpc.Trading;

/// <summary>Whether a rule parameter takes whole numbers or real numbers.</summary>
public enum RuleParameterKind
{
    /// <summary>Whole numbers (window lengths, periods).</summary>
    Integer,

    /// <summary>Real numbers (thresholds, multipliers).</summary>
    Float,
}

/// <summary>One tunable parameter of a rule: its search range, step and default value.</summary>
/// <param name="Name">Parameter name, unique within the rule (for example "fast_window").</param>
/// <param name="Kind">Integer or float.</param>
/// <param name="Low">Smallest value searched (inclusive).</param>
/// <param name="High">Largest value searched (inclusive).</param>
/// <param name="Step">Grid step, or null for a continuous float range.</param>
/// <param name="Default">The value a new rule starts with.</param>
/// <param name="Description">A short human description.</param>
public sealed record RuleParameter(
    string Name, RuleParameterKind Kind, double Low, double High, double? Step, double Default, string Description);
