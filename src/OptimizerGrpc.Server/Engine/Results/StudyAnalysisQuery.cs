using OptimizerGrpc.Core.Analysis;
using OptimizerGrpc.Core.Analysis.Landscape;
using OptimizerGrpc.Core.Analysis.Overfitting;
using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Server.Engine.Results;

/// <summary>
/// A study's analysis: streams each stage's completed trials from the store once, page by page, with their return
/// summaries, into Core's landscape and overfitting accumulators, then adds the cross-regime matrix and the walk-forward
/// summary. Nothing is kept per trial but a score, the free values, one Sharpe ratio and a bounded sample of summaries.
/// </summary>
internal static class StudyAnalysisQuery
{
    public const string ValidationStage = "a walk-forward validation stage scores one winner; its window is analysed in walk_forward";

    public const string CrossRegimeStage = "a cross-regime validation stage scores one regime's winner on another regime; it is analysed in regimes";

    public static async Task<StudyAnalysisReport> BuildAsync(StudyRuntime runtime, StudyRegistry registry, AnalysisSettings settings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(settings);
        var plan = runtime.Plan;
        var view = runtime.View();
        var overfitting = settings.Overfitting with { PeriodsPerYear = plan.Scorer.Settings.AnnualizationFactor ?? 252 };
        var stages = new List<StageAnalysisReport>();
        var winners = new Dictionary<int, TrialReturns>();
        var inSampleSharpes = new List<double>();
        foreach (var stage in view.Stages)
        {
            ct.ThrowIfCancellationRequested();
            var d = stage.Definition;
            string metric = d.Objectives.Count == 1 || d.Weights is null ? d.Objectives[0].Metric : "weighted sum";
            if (d.WinnerOfRegime.Length > 0)
            {
                // A cross-regime validation stage: its one trial fills a cell of the regime matrix.
                await registry.ScanAsync(runtime.Key, plan, d.Index, [TrialState.Completed], trial =>
                {
                    if (trial.Returns is { } returns)
                    {
                        winners[d.Index] = returns;
                    }
                }, ct, includeReturns: true).ConfigureAwait(false);
                stages.Add(new StageAnalysisReport(d.StageId, metric, stage.Counts.Completed, null, null, CrossRegimeStage));
                continue;
            }

            if (d.IsValidation || d.FreeIndices.Length == 0)
            {
                stages.Add(new StageAnalysisReport(d.StageId, metric, stage.Counts.Completed, null, null, ValidationStage));
                continue;
            }

            var landscape = new LandscapeAnalysis(d);
            var pareto = d.Objectives.Count >= 2 ? new ParetoAnalysis(d.StageId, d.Objectives) : null;
            var accumulator = new OverfittingAccumulator(overfitting, stage.Counts.Completed);
            long? best = stage.Best?.Number;
            await registry.ScanAsync(runtime.Key, plan, d.Index, [TrialState.Completed], trial =>
            {
                landscape.Offer(trial);
                pareto?.Offer(trial);
                if (trial.Returns is { } returns)
                {
                    accumulator.Offer(returns, trial.Number == best);
                    if (trial.Number == best)
                    {
                        winners[d.Index] = returns;
                    }

                    if (d.WindowIndex is not null)
                    {
                        inSampleSharpes.Add(returns.Blocks.Total.SharpeRatio());
                    }
                }
            }, ct, includeReturns: true).ConfigureAwait(false);

            var report = landscape.Trials > 0 ? landscape.Analyze(settings.Landscape) : null;
            stages.Add(new StageAnalysisReport(
                d.StageId, metric, stage.Counts.Completed, report, accumulator.Build(), report is null ? "the stage has no completed trials yet" : "")
            {
                ParetoFront = pareto is null ? [] : [.. pareto.Front().Trials.Select(t => t.Number)],
            });
        }

        var regimes = RegimeMatrixAnalysis.Build(view.Stages, index => winners.GetValueOrDefault(index));
        var walkForward = view.Stages.Any(s => s.Definition.WindowIndex is not null)
            ? WalkForwardReports.Build(WalkForwardAnalysis.Summarize(view.Stages), [.. inSampleSharpes.Where(double.IsFinite)], overfitting)
            : null;
        return new StudyAnalysisReport(stages, regimes, walkForward);
    }
}
