using OptimizerGrpc.Core.Pareto;
using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Core.Analysis;

/// <summary>A stage's Pareto front (its non-dominated completed trials, in number order) and its hypervolume.</summary>
public sealed record ParetoSummary(string StageId, IReadOnlyList<TrialRecord> Trials, double Hypervolume);

/// <summary>
/// The Pareto front of a multi-objective stage's completed (feasible) trials and its hypervolume. Objectives are
/// oriented so that higher is better for the dominance test; trials keep their raw objective values. The
/// hypervolume's reference point is <see cref="Hypervolume.DefaultReference"/>.
/// </summary>
public sealed class ParetoAnalysis(string stageId, IReadOnlyList<ObjectiveDefinition> objectives)
{
    private readonly List<TrialRecord> _trials = [];
    private readonly List<double[]> _points = [];

    /// <summary>Offers a completed trial; trials without a value per objective are left out.</summary>
    public void Offer(TrialRecord trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (trial.ObjectiveValues.Count != objectives.Count)
        {
            return;
        }

        _trials.Add(trial);
        _points.Add([.. trial.ObjectiveValues.Select((v, i) => objectives[i].Orient(v))]);
    }

    public ParetoSummary Front()
    {
        if (_trials.Count == 0)
        {
            return new ParetoSummary(stageId, [], 0);
        }

        var indices = Dominance.ParetoFront(_points);
        var frontPoints = indices.Select(i => _points[i]).ToList();
        return new ParetoSummary(stageId, [.. indices.Select(i => _trials[i])], Hypervolume.Compute(frontPoints, Hypervolume.DefaultReference(frontPoints)));
    }
}
