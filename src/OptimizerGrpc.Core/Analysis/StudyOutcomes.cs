using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Core.Analysis;

/// <summary>Builds the spec's result shapes (best trial, per-stage, per-target and per-regime winners) from a study.</summary>
public static class StudyOutcomes
{
    public static StudyOutcome Build(StudyView study)
    {
        ArgumentNullException.ThrowIfNull(study);
        var stages = new List<StageOutcome>();
        var targets = new List<TargetWinner>();
        var regimes = new List<RegimeOutcome>();
        foreach (var stage in study.Stages)
        {
            var winners = stage.Best is { } best
                ? stage.Definition.Targets.Select(t => TargetWinners.Of(t, best, stage.Definition)).ToList()
                : [];
            stages.Add(new StageOutcome(stage, winners));
            if (stage.Definition.WinnerOfRegime.Length > 0)
            {
                // A cross-regime validation stage re-scores a regime's winner; it decides nothing.
                continue;
            }

            if (string.IsNullOrEmpty(stage.Definition.Regime))
            {
                // Later stages of a sequence re-decide a target: its latest winner stands (and moves to the end).
                foreach (var winner in winners)
                {
                    targets.RemoveAll(w => w.Target == winner.Target);
                    targets.Add(winner);
                }
            }
            else
            {
                long bars = stage.Definition.Context is RegimeContext regime ? regime.BarCount : 0;
                regimes.Add(new RegimeOutcome(stage.Definition.Regime, bars, stage.State == StageState.Skipped, stage.SkipReason, winners));
            }
        }

        var walkForward = study.Stages.Any(s => s.Definition.WindowIndex is not null) ? WalkForwardAnalysis.Summarize(study.Stages) : null;
        return new StudyOutcome(study, study.Best, stages, targets, regimes, walkForward);
    }
}
