using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Core.Sequences;

/// <summary>
/// The spec's SequentialOptimization: stages one after another, each starting from the winners of all earlier ones.
/// Without stages, one stage per target in spec order.
/// </summary>
public static class SequentialPlanner
{
    public const string Path = "spec.sequence.sequential.stages";

    public static List<StageDefinition> Plan(SequentialSequence sequence, PlanningContext study, SpecViolations v)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        ArgumentNullException.ThrowIfNull(study);
        var templates = OnePerTargetIfEmpty(sequence.Stages, study, Path);
        var stages = new List<StageDefinition>();
        for (int i = 0; i < templates.Count; i++)
        {
            if (StageFactory.Create(i, templates[i], DataContext.Whole, study, v) is { } stage)
            {
                stages.Add(stage with { After = [.. Enumerable.Range(0, i)] });
            }
        }

        return stages;
    }

    /// <summary>The written stages, or one stage per target (named after it) when none are written.</summary>
    internal static IReadOnlyList<StageTemplate> OnePerTargetIfEmpty(IReadOnlyList<StageTemplate> stages, PlanningContext study, string path) =>
        stages.Count > 0
            ? stages
            : [.. study.Targets.Select((t, i) => new StageTemplate(t, [t], null, [], null, $"{path}[{i}]"))];
}
