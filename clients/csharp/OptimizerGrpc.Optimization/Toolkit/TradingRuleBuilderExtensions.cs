using OptimizerGrpc.Client;
using OptimizerGrpc.Trading;

namespace OptimizerGrpc.Optimization;

/// <summary>
/// Adds a trading-toolkit rule's parameter space to a study. The client does not know the toolkit, so these live
/// here, where both meet: <c>new StudyBuilder("ma").Target(new MovingAverageCrossoverRule())</c>.
/// </summary>
public static class TradingRuleBuilderExtensions
{
    /// <summary>Adds a trading rule as a rule-parameters target named after the rule.</summary>
    public static StudyBuilder Target(this StudyBuilder builder, ITradingRule rule)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(rule);
        return builder.Target(rule.Name, t => t.Rule(rule), TargetCategory.RuleParameters);
    }

    /// <summary>Adds a trading rule's parameters with their ranges, steps and defaults.</summary>
    public static TargetBuilder Rule(this TargetBuilder target, ITradingRule rule)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(rule);
        foreach (var p in rule.ParameterSpace)
        {
            _ = p.Kind == RuleParameterKind.Integer
                ? target.Int(p.Name, (long)p.Low, (long)p.High, (long)(p.Step ?? 1), (long)p.Default, p.Description)
                : target.Float(p.Name, p.Low, p.High, p.Step, p.Default, p.Description);
        }

        return target;
    }
}
