using OptimizerGrpc.Core.Expressions;
using OptimizerGrpc.Core.Spaces;
using static OptimizerGrpc.Core.Studies.UserText;

namespace OptimizerGrpc.Core.Constraints;

/// <summary>A relationship constraint as given: its name, its expression, and the spec field it came from.</summary>
public sealed record NamedExpression(string Name, string Text, string Field);

/// <summary>A parameter constraint: bounds and/or an allow-list on one parameter (by index in the space).</summary>
public sealed record ParameterBound(int Index, double? Min, double? Max, IReadOnlyList<ParamValue> Allowed);

/// <summary>A constraint that cannot be compiled; <see cref="Field"/> is the spec path to blame.</summary>
public sealed class ConstraintException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>
/// Compiles parameter and relationship constraints into one predicate over an assignment, checked before a
/// trial is issued so no backtest is spent on a violating point. Expressions are bound to parameter slots once;
/// a check then copies the assignment into a reused slot buffer and evaluates without allocating
/// (the engine calls it from one study at a time).
/// </summary>
public sealed class FeasibilityFilter
{
    private readonly (string Name, BoundExpression Expression)[] _relationships;
    private readonly ParameterBound[] _bounds;
    private readonly ExpressionValue[] _slots;

    private FeasibilityFilter((string, BoundExpression)[] relationships, ParameterBound[] bounds, int slotCount)
    {
        _relationships = relationships;
        _bounds = bounds;
        _slots = new ExpressionValue[slotCount];
    }

    /// <summary>Returns null when there is nothing to check.</summary>
    public static Predicate<ParamValue[]>? Create(SearchSpace space, IReadOnlyList<NamedExpression> relationships, IReadOnlyList<ParameterBound> bounds)
    {
        if (relationships.Count == 0 && bounds.Count == 0)
        {
            return null;
        }

        var compiled = new (string, BoundExpression)[relationships.Count];
        for (int i = 0; i < relationships.Count; i++)
        {
            var r = relationships[i];
            try
            {
                var expression = CompiledExpression.Parse(r.Text);
                compiled[i] = (r.Name, expression.Bind(space.IndexOf));
            }
            catch (ExpressionException ex)
            {
                throw new ConstraintException(r.Field, $"constraint {Quote(r.Name)}: {ex.Message}");
            }
        }

        var filter = new FeasibilityFilter(compiled, bounds.ToArray(), space.Count);
        filter.CheckTypes(space, relationships);
        return filter.IsFeasible;
    }

    public bool IsFeasible(ParamValue[] assignment)
    {
        foreach (var b in _bounds)
        {
            var value = assignment[b.Index];
            if (b.Allowed.Count > 0 && !b.Allowed.Contains(value))
            {
                return false;
            }

            if ((b.Min is not null || b.Max is not null) && value.TryAsNumber(out double x)
                && ((b.Min is { } min && x < min) || (b.Max is { } max && x > max)))
            {
                return false;
            }
        }

        if (_relationships.Length == 0)
        {
            return true;
        }

        for (int i = 0; i < assignment.Length; i++)
        {
            _slots[i] = ToExpressionValue(assignment[i]);
        }

        foreach (var (_, expression) in _relationships)
        {
            if (!expression.EvaluateBool(_slots))
            {
                return false;
            }
        }

        return true;
    }

    // Evaluates every relationship once on the first grid point, so that a type error (a categorical compared
    // with a number, an arithmetic expression where a condition belongs) is reported at creation, not per trial.
    private void CheckTypes(SearchSpace space, IReadOnlyList<NamedExpression> relationships)
    {
        for (int i = 0; i < space.Count; i++)
        {
            _slots[i] = ToExpressionValue(space.Parameters[i].Domain.GridValue(0, 2));
        }

        for (int i = 0; i < _relationships.Length; i++)
        {
            try
            {
                _relationships[i].Expression.EvaluateBool(_slots);
            }
            catch (ExpressionException ex)
            {
                throw new ConstraintException(relationships[i].Field, $"constraint {Quote(relationships[i].Name)}: {ex.Message}");
            }
        }
    }

    private static ExpressionValue ToExpressionValue(ParamValue value) => value.Kind switch
    {
        ParamKind.Int => ExpressionValue.Number(value.AsInt),
        ParamKind.Float => ExpressionValue.Number(value.AsFloat),
        ParamKind.Bool => ExpressionValue.Boolean(value.AsBool),
        _ => ExpressionValue.String(value.AsString),
    };
}
