using OptimizerGrpc.Core.Methods.Grid;
using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;
using static OptimizerGrpc.Core.Studies.UserText;

namespace OptimizerGrpc.Core.Sequences;

/// <summary>
/// The spec's regime-specific optimisation: one stage per regime label, evaluated on that regime's bars (segment mode:
/// the client backtests the segments; attribution mode: the client backtests the whole series and the server scores the
/// regime's bars). A regime with fewer than min_regime_data bars is planned as skipped, with the reason. In segment mode
/// with cross-regime validation, stage R + i(R - 1) + k scores regime i's winner on the k-th other regime's segments.
/// </summary>
public static class RegimePlanner
{
    public const string Path = "spec.sequence.regime_specific";

    public static List<StageDefinition> Plan(RegimeSpecificSequence sequence, PlanningContext study, SpecViolations v)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(v);
        var stages = new List<StageDefinition>();
        var data = study.Data;
        if (data.RegimeLabels.Count == 0)
        {
            v.Add("spec.data.regime_labels", "a regime-specific study needs one regime label per bar (from the client's regime detector)");
            return stages;
        }

        if (data.RegimeNames.Count == 0)
        {
            v.Add("spec.data.regime_names", "name each regime label (label i is regime_names[i])");
            return stages;
        }

        int bad = data.RegimeLabels.ToList().FindIndex(l => l < -1 || l >= data.RegimeNames.Count);
        if (bad >= 0)
        {
            v.Add($"spec.data.regime_labels[{bad}]", $"label {data.RegimeLabels[bad]} is not an index into regime_names (0..{data.RegimeNames.Count - 1}) or -1 (no regime)");
            return stages;
        }

        int minBars = sequence.MinRegimeData ?? RegimeSpecificSequence.DefaultMinRegimeData;
        if (minBars < 1)
        {
            v.Add(Path + ".min_regime_data", $"must be >= 1, got {minBars}");
            return stages;
        }

        // The detector that produced the labels is not searched per regime: its parameters stay at the values given as
        // their defaults (the detector's settings that labelled the bars, e.g. the winner of a detector study).
        string detector = sequence.DetectorTarget;
        if (detector.Length > 0 && !study.Targets.Contains(detector))
        {
            v.Add(Path + ".regime_detector_target", $"unknown target {Quote(detector)}");
            return stages;
        }

        var template = sequence.Stage ?? new StageTemplate("", [], null, [], null, Path + ".stage");
        if (template.Targets.Count == 0)
        {
            template = template with { Targets = [.. study.Targets.Where(t => t != detector)] };
        }
        else if (template.Targets.Contains(detector))
        {
            v.Add(Path + ".stage.targets", $"{Quote(detector)} is the regime detector that labelled the bars; it cannot also be searched per regime");
            return stages;
        }

        var segmentsByRegime = RegimeSegments.Of(data.RegimeLabels, data.RegimeNames.Count);
        IReadOnlyList<IReadOnlyList<(long Start, long End)>>? everyRegime = sequence.Attribution
            ? [.. segmentsByRegime.Select(list => (IReadOnlyList<(long Start, long End)>)[.. list.Select(s => (s.Start, s.End))])]
            : null;
        var contexts = new List<RegimeContext>();
        for (int r = 0; r < data.RegimeNames.Count; r++)
        {
            string regime = data.RegimeNames[r];
            var segments = segmentsByRegime[r];
            long bars = segments.Sum(s => s.Length);
            var context = new RegimeContext(regime, segments, $"regime {regime}", sequence.Attribution);
            contexts.Add(context);
            var named = template.WithName(string.IsNullOrEmpty(template.Name) ? regime : $"{template.Name} ({regime})");
            if (StageFactory.Create(r, named, context, study, v) is not { } stage)
            {
                continue;
            }

            stages.Add(stage with
            {
                Regime = regime,
                RegimeBars = bars,
                ScoreSegments = sequence.Attribution ? [.. segments.Select(s => (s.Start, s.End))] : null,
                RegimeSegments = everyRegime,
                SkipReason = bars < minBars ? $"regime {Quote(regime)} has {bars} bars, fewer than min_regime_data ({minBars})" : "",
            });
        }

        if (!sequence.Attribution && sequence.CrossValidation && stages.Count == data.RegimeNames.Count)
        {
            stages.AddRange(CrossValidationStages([.. stages], contexts).ToList());
        }

        return stages;
    }

    // One trial each: regime i's winner (its stage's free parameters fixed) backtested on regime j's segments.
    private static IEnumerable<StageDefinition> CrossValidationStages(List<StageDefinition> regimes, List<RegimeContext> contexts)
    {
        int index = regimes.Count;
        foreach (var winner in regimes)
        {
            for (int j = 0; j < regimes.Count; j++)
            {
                if (j == winner.Index)
                {
                    continue;
                }

                var on = regimes[j];
                var context = contexts[j] with { Label = $"regime {winner.Regime} winner on {on.Regime}" };
                yield return new StageDefinition(
                    index++, $"{winner.Regime} winner on {on.Regime}", winner.Targets, [], new SearchSpace([]), new GridSettings(), 0, winner.Objectives, winner.Weights, 1, context)
                {
                    After = [winner.Index],
                    IsValidation = true,
                    PlannedTrials = 1,
                    RegimeBars = on.RegimeBars,
                    WinnerOfRegime = winner.Regime,
                    SkipReason = on.SkipReason,
                };
            }
        }
    }
}
