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
            if (templates[i].Targets.Any(t => !seen.Add(t)))
            {
                v.Add($"{Path}[{i}].targets", "parallel stages must search disjoint targets (they run at once and their winners are combined)");
            }
        }

        return stages;
    }
}
