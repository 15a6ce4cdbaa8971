using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Core.Constraints;
using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;
using static OptimizerGrpc.Core.Studies.UserText;

namespace OptimizerGrpc.Server.Api.Mapping;

/// <summary>
/// A spec's parameter and relationship constraints as one feasibility predicate over full assignments, checked before a
/// trial is issued. A space that no assignment satisfies is refused. Performance constraints are scoring's (see <see cref="ScoringMapper"/>).
/// </summary>
internal static class ConstraintMapper
{
    public static Predicate<ParamValue[]>? Compile(StudySpec spec, SearchSpace space)
    {
        var v = new SpecViolations();
        var relationships = new List<NamedExpression>();
        var bounds = new List<ParameterBound>();
        for (int i = 0; i < spec.Constraints.Count; i++)
        {
            var c = spec.Constraints[i];
            string path = $"spec.constraints[{i}]";
            string name = string.IsNullOrEmpty(c.Name) ? $"constraint {i}" : c.Name;
            switch (c.KindCase)
            {
                case Constraint.KindOneofCase.Relationship:
                    relationships.Add(new NamedExpression(name, c.Relationship.Expression, path + ".relationship.expression"));
                    break;
                case Constraint.KindOneofCase.Parameter:
                    int index = space.IndexOf(c.Parameter.Parameter);
                    if (index < 0)
                    {
                        v.Add(path + ".parameter.parameter", $"unknown parameter {Quote(c.Parameter.Parameter)} (use 'target.name')");
                        break;
                    }

                    bounds.Add(new ParameterBound(
                        index,
                        c.Parameter.HasMin ? c.Parameter.Min : null,
                        c.Parameter.HasMax ? c.Parameter.Max : null,
                        c.Parameter.Allowed.Select(ValueMapper.ToDomain).ToArray()));
                    break;
                case Constraint.KindOneofCase.Performance:
                    // Compiled with the metrics (CompileScoring); checked after each trial.
                    break;
                default:
                    v.Add(path, "a constraint needs a kind: parameter, relationship or performance");
                    break;
            }
        }

        v.ThrowIfAny("invalid constraints");
        Predicate<ParamValue[]>? feasible;
        try
        {
            feasible = FeasibilityFilter.Create(space, relationships, bounds);
        }
        catch (ConstraintException ex)
        {
            throw SpecViolations.Single(ex.Field, ex.Message);
        }

        if (feasible is not null)
        {
            int floatPoints = spec.Method?.Grid is { HasFloatPoints: true } grid ? grid.FloatPoints : MethodMapper.DefaultGridFloatPoints;
            var (found, checkedPoints) = FeasibilityProbe.FindAny(space, feasible, floatPoints);
            if (!found)
            {
                throw SpecViolations.Single("spec.constraints", $"no assignment satisfies the parameter and relationship constraints ({checkedPoints:N0} points checked); the search space is empty");
            }
        }

        return feasible;
    }
}
