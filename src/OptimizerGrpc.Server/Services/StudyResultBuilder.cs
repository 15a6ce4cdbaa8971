using OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Server.Services;

/// <summary>Builds the spec's result shapes (best trial, per-stage and per-target results) from a study.</summary>
internal static class StudyResultBuilder
{
    public static StudyResult Build(Study study)
    {
        var result = new StudyResult { Study = study, BestTrial = study.BestTrial };
        foreach (var stage in study.Stages)
        {
            var stageResult = new StageResult { Stage = stage };
            if (stage.BestTrial is { } best)
            {
                foreach (var target in stage.Targets)
                {
                    stageResult.TargetResults.Add(ForTarget(target, best, stage));
                }
            }

            result.Stages.Add(stageResult);
            if (string.IsNullOrEmpty(stage.Regime))
            {
                // Later stages of a sequence re-decide a target: its latest winner stands.
                foreach (var targetResult in stageResult.TargetResults)
                {
                    if (result.TargetResults.FirstOrDefault(r => r.Target == targetResult.Target) is { } earlier)
                    {
                        result.TargetResults.Remove(earlier);
                    }

                    result.TargetResults.Add(targetResult);
                }
            }
            else
            {
                // The spec's regime_results[regime].target_results[target].
                var regime = new RegimeResult
                {
                    Regime = stage.Regime,
                    BarCount = stage.DataContext.Segments.Segments.Sum(w => w.EndBar - w.StartBar),
                    Skipped = stage.State == StageState.Skipped,
                    SkipReason = stage.SkipReason,
                };
                regime.TargetResults.AddRange(stageResult.TargetResults);
                result.RegimeResults.Add(regime);
            }
        }

        return result;
    }

    private static TargetResult ForTarget(string target, Trial best, Stage stage)
    {
        string prefix = target + ".";
        var r = new TargetResult
        {
            Target = target,
            StageId = stage.StageId,
            TrialNumber = best.Number,
            Metric = stage.Objectives.Count > 0 ? stage.Objectives[0].Metric : "",
            BestScore = best.ObjectiveValues.Count > 0 ? best.ObjectiveValues[0] : double.NaN,
        };
        foreach (var (name, value) in best.Params)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                r.BestParams[name[prefix.Length..]] = value;
            }
        }

        return r;
    }
}
