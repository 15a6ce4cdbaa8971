using OptimizerGrpc.Core.Expressions;
using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Core.Analysis;

/// <summary>An objective to re-rank by: the value's name, its sense, and an optional weight.</summary>
public sealed record RerankObjective(string Metric, bool Maximize, double? Weight);

/// <summary>
/// Re-ranks and re-filters a finished study after the fact: every trial keeps every metric the study named, so a
/// different objective or an extra performance filter can pick a different winner without running anything again.
/// The rank is the weighted sum of oriented values, an objective without a weight weighing 1 once any has one (as for
/// a study's own objectives); without weights, a single objective counts alone and with several the first decides
/// (weight 1, the others 0).
/// </summary>
public sealed class Reranking(IReadOnlyList<RerankObjective> objectives, CompiledExpression? filter)
{
    private TrialRecord? _best;
    private double _bestRank = double.NegativeInfinity;

    public IReadOnlyList<RerankObjective> Objectives { get; } = objectives;

    /// <summary>Offers one completed trial; the first of equal ranks wins.</summary>
    public void Offer(TrialRecord trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (Rank(trial) is { } rank && rank > _bestRank)
        {
            (_best, _bestRank) = (trial, rank);
        }
    }

    /// <summary>The winner with its objective values replaced by the re-ranking objectives' values; null when no trial qualified.</summary>
    public TrialRecord? Best => _best is null ? null : _best with { ObjectiveValues = [.. Objectives.Select(o => _best.Values[o.Metric])] };

    /// <summary>The trial's rank, or null when it lacks a value, has a non-finite one, or fails the filter.</summary>
    public double? Rank(TrialRecord trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        double rank = 0;
        bool weighted = Objectives.Any(o => o.Weight is not null);
        for (int i = 0; i < Objectives.Count; i++)
        {
            var o = Objectives[i];
            if (!trial.Values.TryGetValue(o.Metric, out double v) || !double.IsFinite(v))
            {
                return null;
            }

            double weight = Objectives.Count == 1 ? 1 : weighted ? o.Weight ?? 1 : (i == 0 ? 1 : 0);
            rank += weight * (o.Maximize ? v : -v);
        }

        if (filter is not null)
        {
            if (filter.Names.Any(n => !trial.Values.ContainsKey(n)))
            {
                return null;
            }

            if (!filter.EvaluateBool(trial.Values.ToDictionary(p => p.Key, p => ExpressionValue.Number(p.Value), StringComparer.Ordinal)))
            {
                return null;
            }
        }

        return rank;
    }

    /// <summary>The study as if it had been ranked by these objectives: every stage's best is the re-ranked winner.</summary>
    public StudyView Apply(StudyView study)
    {
        ArgumentNullException.ThrowIfNull(study);
        var best = Best;
        var objectives = Objectives.Select(o => new ObjectiveDefinition(o.Metric, o.Maximize)).ToArray();
        return study with
        {
            Best = best,
            Stages = [.. study.Stages.Select(s => s with { Best = best, Definition = s.Definition with { Objectives = objectives } })],
        };
    }
}
