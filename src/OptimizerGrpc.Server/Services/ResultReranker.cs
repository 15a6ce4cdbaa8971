using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Core.Expressions;
using OptimizerGrpc.Core.Metrics;
using OptimizerGrpc.Server.Engine;

namespace OptimizerGrpc.Server.Services;

/// <summary>
/// Re-ranks and re-filters a finished study after the fact: every trial keeps every metric the study named, so a
/// different objective or an extra performance filter can pick a different winner without running anything again.
/// Works on a copy of the study; the stored study is untouched.
/// </summary>
internal static class ResultReranker
{
    public static async Task ApplyAsync(Study study, StudyRuntime runtime, StudyRegistry registry, GetStudyResultRequest request, CancellationToken ct)
    {
        var objectives = request.RerankObjectives.Count > 0 ? request.RerankObjectives.ToList() : [.. study.Spec.Objectives];
        for (int i = 0; i < objectives.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(objectives[i].Metric))
            {
                throw FieldViolations.Single($"rerank_objectives[{i}].metric", "metric name is empty");
            }
        }

        CompiledExpression? filter = null;
        if (!string.IsNullOrEmpty(request.RefilterExpression))
        {
            try
            {
                filter = CompiledExpression.Parse(request.RefilterExpression);
            }
            catch (ExpressionException ex)
            {
                throw FieldViolations.Single("refilter_expression", ex.Message);
            }
        }

        var maximize = objectives.Select(o => o.Direction switch
        {
            Direction.Minimize => false,
            Direction.Maximize => true,
            _ => !MetricCatalog.TryGet(o.Metric, out var m) || m.HigherIsBetter,
        }).ToArray();

        Trial? best = null;
        double bestRank = double.NegativeInfinity;
        long afterNumber = -1;
        while (true)
        {
            var page = await registry.Reader.ListTrialsAsync(runtime.Key, afterNumber, 10_000, null, [(int)TrialState.Completed], 0, ct);
            foreach (var trial in page)
            {
                if (Rank(trial, objectives, maximize, filter) is { } rank && rank > bestRank)
                {
                    (best, bestRank) = (trial, rank);
                }
            }

            if (page.Count < 10_000)
            {
                break;
            }

            afterNumber = page[^1].Number;
        }

        if (best is not null)
        {
            best.ObjectiveValues.Clear();
            best.ObjectiveValues.AddRange(objectives.Select(o => best.Values[o.Metric]));
        }

        study.BestTrial = best;
        foreach (var stage in study.Stages)
        {
            stage.BestTrial = best;
            stage.Objectives.Clear();
            stage.Objectives.AddRange(objectives);
        }
    }

    // Trials lacking a value, with a non-finite one, or failing the filter are not ranked.
    private static double? Rank(Trial trial, List<Objective> objectives, bool[] maximize, CompiledExpression? filter)
    {
        double rank = 0;
        for (int i = 0; i < objectives.Count; i++)
        {
            if (!trial.Values.TryGetValue(objectives[i].Metric, out double v) || !double.IsFinite(v))
            {
                return null;
            }

            double weight = objectives.Count == 1 ? 1 : objectives[i].HasWeight ? objectives[i].Weight : (i == 0 ? 1 : 0);
            rank += weight * (maximize[i] ? v : -v);
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
}
