using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Core.Pareto;
using OptimizerGrpc.Server.Engine;

namespace OptimizerGrpc.Server.Services;

/// <summary>
/// The Pareto front of a multi-objective study's completed (feasible) trials and its hypervolume, computed from the
/// store when a result is asked for. Objectives are oriented so that higher is better for the dominance test; the
/// trials keep their raw objective values. The hypervolume's reference point is <see cref="Hypervolume.DefaultReference"/>.
/// </summary>
internal static class ParetoFrontBuilder
{
    private const int PageSize = 10_000;

    public static async Task<ParetoFront?> BuildAsync(StudyRuntime runtime, StudyRegistry registry, Stage stage, CancellationToken ct)
    {
        var objectives = runtime.Plan.Objectives;
        if (objectives.Count < 2)
        {
            return null;
        }

        var trials = new List<Trial>();
        var points = new List<double[]>();
        long afterNumber = -1;
        while (true)
        {
            var page = await registry.Reader.ListTrialsAsync(runtime.Key, afterNumber, PageSize, stage.Index, [(int)TrialState.Completed], 0, ct);
            foreach (var trial in page.Where(t => t.ObjectiveValues.Count == objectives.Count))
            {
                trials.Add(trial);
                points.Add(trial.ObjectiveValues.Select((v, i) => objectives[i].Maximize ? v : -v).ToArray());
            }

            if (page.Count < PageSize)
            {
                break;
            }

            afterNumber = page[^1].Number;
        }

        var front = new ParetoFront { StageId = stage.StageId };
        if (trials.Count == 0)
        {
            return front;
        }

        var indices = Dominance.ParetoFront(points);
        var frontPoints = indices.Select(i => points[i]).ToList();
        front.Trials.AddRange(indices.Select(i => trials[i]));
        front.Hypervolume = Hypervolume.Compute(frontPoints, Hypervolume.DefaultReference(frontPoints));
        return front;
    }
}
