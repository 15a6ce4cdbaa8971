using OptimizerGrpc.Core.Methods.Hierarchical;
using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Methods.MultiObjective;
using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;
using static OptimizerGrpc.Core.Studies.UserText;

namespace OptimizerGrpc.Core.Sequences;

/// <summary>
/// The hierarchical sequence as one stage over the outer and inner targets together, searched by
/// <see cref="HierarchicalSearch"/>: each outer candidate is scored by the winner of its own inner search.
/// Budgets: the outer stage's max_trials counts outer candidates, the inner stage's counts trials per candidate.
/// </summary>
public static class HierarchicalPlanner
{
    public const string Path = "spec.sequence.hierarchical";

    // Keeps the hierarchical stage's stream apart from a plain stage 0 of the same seed.
    private const ulong SeedSalt = 0xB11E7E1UL;

    public static List<StageDefinition> Plan(HierarchicalSequence sequence, PlanningContext study, SpecViolations v)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(v);
        return Stage(sequence, study, v) is { } stage ? [stage] : [];
    }

    private static StageDefinition? Stage(HierarchicalSequence seq, PlanningContext study, SpecViolations v)
    {
        if (seq.Outer is null || seq.Outer.Targets.Count == 0)
        {
            v.Add(Path + ".outer.targets", "name the outer targets (every outer candidate is scored by an inner optimisation)");
        }

        if (seq.Inner is null || seq.Inner.Targets.Count == 0)
        {
            v.Add(Path + ".inner.targets", "name the inner targets (optimised for each outer candidate)");
        }

        if (v.Any)
        {
            return null;
        }

        if (seq.Outer!.Targets.Intersect(seq.Inner!.Targets, StringComparer.Ordinal).FirstOrDefault() is { } shared)
        {
            v.Add(Path + ".inner.targets", $"target {Quote(shared)} is both outer and inner; the levels must search disjoint targets");
        }

        var outer = StageFactory.Create(0, seq.Outer, DataContext.Whole, study, v);
        var inner = StageFactory.Create(0, seq.Inner, DataContext.Whole, study, v);
        if (outer is null || inner is null || v.Any)
        {
            return null;
        }

        // Outer candidates are scored by their inner winner, so outer objectives may only restate the inner ones.
        if (seq.Outer.Objectives.Count > 0 && !outer.Objectives.SequenceEqual(inner.Objectives))
        {
            v.Add(Path + ".outer.objectives", "outer candidates are scored by their inner winner; leave the outer objectives empty or equal to the inner ones");
        }

        if (inner.Objectives.Count > 1 && inner.Weights is null)
        {
            v.Add(Path + ".inner.objectives", "a hierarchical study ranks inner trials by one number: use one objective, or give the objectives weights");
        }

        foreach (var (level, method) in new[] { ("outer", outer.Method), ("inner", inner.Method) })
        {
            if (method is Nsga2Settings)
            {
                v.Add($"{Path}.{level}.method", "NSGA-II returns a front, not one winner; use it in a single-stage study");
            }
        }

        if (v.Any)
        {
            return null;
        }

        int[] free = [.. outer.FreeIndices.Concat(inner.FreeIndices).Order()];
        int[] outerPositions = [.. outer.FreeIndices.Select(i => Array.IndexOf(free, i))];
        var settings = new HierarchicalSettings(outer.Method, outer.MaxTrials, outerPositions, inner.Method, inner.MaxTrials);
        string outerName = string.IsNullOrEmpty(seq.Outer.Name) ? string.Join("+", seq.Outer.Targets) : seq.Outer.Name;
        string innerName = string.IsNullOrEmpty(seq.Inner.Name) ? string.Join("+", seq.Inner.Targets) : seq.Inner.Name;
        return new StageDefinition(
            0,
            $"{outerName} over {innerName}",
            [.. seq.Outer.Targets, .. seq.Inner.Targets],
            free,
            new SearchSpace([.. free.Select(i => study.Space.Parameters[i])]),
            settings,
            study.Seed ^ SeedSalt,
            inner.Objectives,
            inner.Weights,
            0,
            DataContext.Whole)
        {
            Hierarchy = new HierarchyPlan([.. seq.Outer.Targets], [.. seq.Inner.Targets], outer.FreeIndices, outer.MaxTrials, inner.MaxTrials),
            PlannedTrials = outer.PlannedTrials * inner.PlannedTrials,
        };
    }
}
