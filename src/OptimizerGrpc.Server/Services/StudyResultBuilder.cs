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
                    var targetResult = ForTarget(target, best, stage);
                    stageResult.TargetResults.Add(targetResult);
                    result.TargetResults.Add(targetResult);
                }
            }

            result.Stages.Add(stageResult);
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
