using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Core.Sequences;

/// <summary>The spec's ParallelOptimization: independent stages over disjoint targets, run at once, winners combined.</summary>
public static class ParallelPlanner
{
    public const string Path = "spec.sequence.parallel.stages";

    public static List<StageDefinition> Plan(ParallelSequence sequence, PlanningContext study, SpecViolations v)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        ArgumentNullException.ThrowIfNull(v);
        var templates = SequentialPlanner.OnePerTargetIfEmpty(sequence.Stages, study, Path);
        var stages = new List<StageDefinition>();
        for (int i = 0; i < templates.Count; i++)
        {
            if (StageFactory.Create(i, templates[i], DataContext.Whole, study, v) is { } stage)
            {
                stages.Add(stage);
            }
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < templates.Count; i++)
        {
            // Every target must reach the set (no short-circuit), or a later stage's overlap with this one goes unreported.
            var repeated = templates[i].Targets.Where(t => !seen.Add(t)).ToList();
            if (repeated.Count > 0)
            {
                v.Add($"{Path}[{i}].targets", "parallel stages must search disjoint targets (they run at once and their winners are combined)");
            }
        }

        return stages;
    }
}
