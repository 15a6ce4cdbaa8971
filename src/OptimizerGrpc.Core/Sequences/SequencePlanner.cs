using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Core.Sequences;

/// <summary>
/// Plans a study's stages from its sequence: one planner per kind of sequence. Every mistake is reported with the path
/// of its field; the plan is all or nothing.
/// </summary>
public static class SequencePlanner
{
    public static IReadOnlyList<StageDefinition> Plan(SequenceDefinition sequence, PlanningContext study)
    {
        ArgumentNullException.ThrowIfNull(study);
        var v = new SpecViolations();
        var stages = sequence switch
        {
            SequentialSequence s => SequentialPlanner.Plan(s, study, v),
            ParallelSequence p => ParallelPlanner.Plan(p, study, v),
            HierarchicalSequence h => HierarchicalPlanner.Plan(h, study, v),
            RegimeSpecificSequence r => RegimePlanner.Plan(r, study, v),
            WalkForwardSequence w => WalkForwardPlanner.Plan(w, study, v),
            _ => SinglePlan(study, v),
        };
        v.ThrowIfAny("invalid sequence");
        return stages;
    }

    private static List<StageDefinition> SinglePlan(PlanningContext study, SpecViolations v) =>
        [StageFactory.Create(0, new StageTemplate("main", [.. study.Targets], null, [], null, "spec"), DataContext.Whole, study, v)!];
}
