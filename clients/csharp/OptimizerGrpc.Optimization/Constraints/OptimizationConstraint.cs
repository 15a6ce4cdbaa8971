using System.Text.RegularExpressions;
using OptimizerGrpc.Client;

namespace OptimizerGrpc.Optimization;

/// <summary>
/// A constraint the server enforces (the spec's constraint functions, as data so the server can check them).
/// Parameters are written "target.parameter" with the spec's parameter names, e.g.
/// "ma_rule_params.ma_crossover.fast_window".
/// </summary>
public abstract partial record OptimizationConstraint
{
    /// <summary>Adds this constraint to the study as <paramref name="name"/>, attached to <paramref name="target"/>'s stages.</summary>
    internal abstract void AddTo(StudyBuilder builder, string name, string target);

    // "target.rule.parameter" travels as "target.rule__parameter"; metric names and numbers are left alone.
    internal static string ToWireExpression(string expression) =>
        DottedName().Replace(expression, m => m.Value[..m.Value.IndexOf('.', StringComparison.Ordinal)] + "." +
            Names.ToWire(m.Value[(m.Value.IndexOf('.', StringComparison.Ordinal) + 1)..]));

    [GeneratedRegex(@"(?<![\w.])[A-Za-z_]\w*(\.[A-Za-z_]\w*){2,}")]
    private static partial Regex DottedName();
}

/// <summary>A relation between parameters checked before a candidate is issued, e.g. "t.ma.fast_window * 2 &lt;= t.ma.slow_window".</summary>
public sealed record RelationshipConstraint(string Expression) : OptimizationConstraint
{
    internal override void AddTo(StudyBuilder builder, string name, string target) => builder.Relationship(ToWireExpression(Expression), name, target);
}

/// <summary>A condition on metrics checked after a trial; failing trials are infeasible, e.g. "max_drawdown &lt;= 0.25".</summary>
public sealed record PerformanceConstraint(string Expression) : OptimizationConstraint
{
    internal override void AddTo(StudyBuilder builder, string name, string target) => builder.Performance(Expression, name, target);
}

/// <summary>Narrows one parameter ("target.parameter") to [Min, Max].</summary>
public sealed record ParameterBoundsConstraint(string Parameter, double? Min = null, double? Max = null) : OptimizationConstraint
{
    internal override void AddTo(StudyBuilder builder, string name, string target)
    {
        var dot = Parameter.IndexOf('.', StringComparison.Ordinal);
        builder.ParameterBounds(dot < 0 ? Parameter : Parameter[..dot] + "." + Names.ToWire(Parameter[(dot + 1)..]), Min, Max, name, target);
    }
}
