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

        if (study.Stages.Any(st => st.HasWindowIndex))
        {
            result.WalkForward = WalkForward(study);
        }

        return result;
    }

    /// <summary>
    /// Per-window in- and out-of-sample metrics of the winners, the stitched out-of-sample equity (each window's curve
    /// continues from the previous one's end), walk-forward efficiency (mean annualised out-of-sample return over mean
    /// annualised in-sample return; Pardo 2008), the share of profitable windows, and the coefficient of variation of each
    /// numeric parameter across windows (0 = the same winner every time).
    /// </summary>
    private static WalkForwardResult WalkForward(Study study)
    {
        var wf = new WalkForwardResult();
        wf.StitchedEquity.Add(1.0);
        var inSample = new List<double>();
        var outOfSample = new List<double>();
        int profitable = 0;
        var chosen = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        foreach (var pair in study.Stages.Where(st => st.HasWindowIndex).GroupBy(st => st.WindowIndex).OrderBy(g => g.Key))
        {
            var optimise = pair.First(st => st.Index % 2 == 0);
            var validate = pair.First(st => st.Index % 2 == 1);
            var window = new WalkForwardWindow
            {
                Index = pair.Key,
                InSample = optimise.DataContext.Window,
                OutOfSample = validate.DataContext.Window,
            };
            if (optimise.BestTrial is { } winner)
            {
                foreach (var (name, value) in winner.Params.Where(p => optimise.Targets.Any(t => p.Key.StartsWith(t + ".", StringComparison.Ordinal))))
                {
                    window.BestParams[name] = value;
                    double? number = value.KindCase switch
                    {
                        ParameterValue.KindOneofCase.IntValue => value.IntValue,
                        ParameterValue.KindOneofCase.FloatValue => value.FloatValue,
                        _ => null,
                    };
                    if (number is { } x)
                    {
                        (chosen.TryGetValue(name, out var list) ? list : chosen[name] = []).Add(x);
                    }
                }

                window.InSampleMetrics.Add(winner.Values);
                if (winner.Values.TryGetValue("annualized_return", out double a))
                {
                    inSample.Add(a);
                }
            }

            if (validate.BestTrial is { } oos)
            {
                window.OutOfSampleMetrics.Add(oos.Values);
                if (oos.Values.TryGetValue("annualized_return", out double a))
                {
                    outOfSample.Add(a);
                }

                if (oos.Values.TryGetValue("total_return", out double r) && r > 0)
                {
                    profitable++;
                }

                double start = wf.StitchedEquity[^1];
                wf.StitchedEquity.AddRange(oos.WindowEquity.Skip(1).Select(e => start * e));
            }

            wf.Windows.Add(window);
        }

        wf.StitchedReturn = wf.StitchedEquity[^1] - 1;
        wf.ProfitableWindowShare = wf.Windows.Count == 0 ? 0 : (double)profitable / wf.Windows.Count;
        wf.Efficiency = inSample.Count > 0 && outOfSample.Count > 0 && inSample.Average() != 0 ? outOfSample.Average() / inSample.Average() : 0;
        foreach (var (name, values) in chosen)
        {
            double mean = values.Average();
            double sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
            wf.ParameterStability[name] = mean == 0 ? sd : sd / Math.Abs(mean);
        }

        return wf;
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
