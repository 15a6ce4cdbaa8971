using OptimizerGrpc.Core.Methods.Grid;
using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Core.Sequences;

/// <summary>
/// Walk-forward windows (Pardo, "The Evaluation and Optimization of Trading Strategies", 2008): window i optimises on
/// its in-sample bars (stage 2i), then a validation stage (2i + 1) scores the winner on the out-of-sample bars that
/// follow. Rolling windows move their start by step; anchored windows keep start 0 and grow. In-sample stages are
/// independent and run at once; each validation stage follows its own in-sample stage.
/// </summary>
public static class WalkForwardPlanner
{
    public const string Path = "spec.sequence.walk_forward";

    public static List<StageDefinition> Plan(WalkForwardSequence seq, PlanningContext study, SpecViolations v)
    {
        ArgumentNullException.ThrowIfNull(seq);
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(v);
        var stages = new List<StageDefinition>();
        long bars = study.Data.BarCount;
        long step = seq.StepBars ?? seq.OutOfSampleBars;
        if (bars <= 0)
        {
            v.Add("spec.data.bar_count", "a walk-forward study needs the number of bars of the series");
        }

        if (seq.InSampleBars < 2)
        {
            v.Add(Path + ".in_sample_bars", $"must be >= 2, got {seq.InSampleBars}");
        }

        if (seq.OutOfSampleBars < 2)
        {
            v.Add(Path + ".out_of_sample_bars", $"must be >= 2, got {seq.OutOfSampleBars}");
        }

        if (step < 1)
        {
            v.Add(Path + ".step_bars", $"must be >= 1, got {step}");
        }

        if (v.Any)
        {
            return stages;
        }

        if (seq.InSampleBars + seq.OutOfSampleBars > bars)
        {
            v.Add(Path, $"one window needs {seq.InSampleBars + seq.OutOfSampleBars} bars; the series has {bars}");
            return stages;
        }

        var template = seq.Stage ?? new StageTemplate("", [], null, [], null, Path + ".stage");
        if (template.Targets.Count == 0)
        {
            template = template with { Targets = [.. study.Targets] };
        }

        for (int w = 0; ; w++)
        {
            long isStart = seq.Anchored ? 0 : w * step;
            long isEnd = seq.Anchored ? seq.InSampleBars + (w * step) : isStart + seq.InSampleBars;
            long oosEnd = isEnd + seq.OutOfSampleBars;
            if (oosEnd > bars)
            {
                return stages;
            }

            var inSample = new WindowContext(new BarRange(isStart, isEnd), $"in-sample {w}", seq.Attribution);
            if (StageFactory.Create(2 * w, template.WithName($"in-sample {w}"), inSample, study, v) is not { } optimise)
            {
                return stages;
            }

            stages.Add(optimise with { WindowIndex = w, ScoreSegments = seq.Attribution ? [(isStart, isEnd)] : null });

            var outOfSample = new WindowContext(new BarRange(isEnd, oosEnd), $"out-of-sample {w}", seq.Attribution);
            stages.Add(new StageDefinition(
                (2 * w) + 1, $"out-of-sample {w}", optimise.Targets, [], new SearchSpace([]), new GridSettings(), 0, study.Objectives, study.Weights, 1, outOfSample)
            {
                After = [2 * w],
                WindowIndex = w,
                IsValidation = true,
                PlannedTrials = 1,
                ScoreSegments = seq.Attribution ? [(isEnd, oosEnd)] : null,
            });
        }
    }
}
