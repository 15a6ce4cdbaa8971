using OptimizerGrpc.Core.Analysis;
using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Server.Engine.Results;

/// <summary>A study's result: the spec's shapes, each multi-objective stage's Pareto front, and the hierarchical table.</summary>
internal sealed record StudyResultData(StudyOutcome Outcome, IReadOnlyList<ParetoSummary> ParetoFronts, HierarchicalSummary? Hierarchical);

/// <summary>Reads what a study's result needs from the store and runs the analysis over it (see Core's Analysis).</summary>
internal static class StudyResultQuery
{
    /// <param name="rerank">When set, the winner is re-picked by these objectives and filter from every completed trial.</param>
    public static async Task<StudyResultData> BuildAsync(StudyRuntime runtime, StudyRegistry registry, Reranking? rerank, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(registry);
        var plan = runtime.Plan;
        var study = runtime.View();
        if (rerank is not null)
        {
            await registry.ScanAsync(runtime.Key, plan, null, [TrialState.Completed], rerank.Offer, ct).ConfigureAwait(false);
            study = rerank.Apply(study);
        }

        var outcome = StudyOutcomes.Build(study);
        var fronts = new List<ParetoSummary>();
        if (plan.Objectives.Count >= 2)
        {
            foreach (var stage in study.Stages)
            {
                var pareto = new ParetoAnalysis(stage.StageId, plan.Objectives);
                await registry.ScanAsync(runtime.Key, plan, stage.Index, [TrialState.Completed], pareto.Offer, ct).ConfigureAwait(false);
                fronts.Add(pareto.Front());
            }
        }

        HierarchicalSummary? hierarchical = null;
        if (plan.Stages.FirstOrDefault(s => s.Hierarchy is not null) is { } nested)
        {
            var analysis = new HierarchicalAnalysis(nested, plan.Space);
            await registry.ScanAsync(runtime.Key, plan, nested.Index, [], analysis.Offer, ct).ConfigureAwait(false);
            hierarchical = analysis.Summarize();
        }

        return new StudyResultData(outcome, fronts, hierarchical);
    }
}
