using OptimizerGrpc.Client;
using OptimizerGrpc.Examples;
using OptimizerGrpc.Trading;

namespace OptimizerGrpc.Optimization.Tests;

/// <summary>The spec's multi-stage workflow (samples/OptimizerGrpc.Examples) against the real server: each stage uses the previous one's output.</summary>
public sealed class MultiStageWorkflowTests(InProcessServer server) : IClassFixture<InProcessServer>
{
    private static readonly PriceSeries Nyse = new CsvDataHandler().Load(Repository.File("samples", "data", "nyse_composite_daily_1966_2002.csv"));

    [Fact]
    public async Task MultiStage_EachStageUsesThePreviousStagesOutput()
    {
        await using var client = new OptimizerClient(server.Address);

        var result = await MultiStageWorkflow.RunAsync(client, Nyse, workers: 2);

        // Stage 1: the detector's winner is the argmax of classification accuracy over its whole grid, and is applied.
        var metric = new RegimeClassificationAccuracyMetric(horizonBars: 20, band: 0.02);
        var expected = (from lookback in Enumerable.Range(1, 20).Select(i => i * 10)
                        from step in Enumerable.Range(0, 11)
                        let detector = new TrendRegimeDetector { LookbackBars = lookback, ThresholdFraction = step * 0.01 }
                        select metric.Score(Nyse.Close, detector.Detect(Nyse.Close), lookback - 1)).Max();
        var stage1 = result.RegimeDetector.TargetResults["regime_detector"];
        Assert.Equal(StudyState.Completed, result.RegimeDetector.State);
        Assert.Equal(expected, stage1.BestScore, 12);
        Assert.Equal(stage1.BestParams["lookback"], result.Detector.LookbackBars);
        Assert.Equal(stage1.BestParams["threshold"], result.Detector.ThresholdFraction, 12);

        // Stage 2: the regimes are the tuned detector's labels, not the default detector's.
        var labels = new TrendRegimeDetector { LookbackBars = (int)stage1.BestParams["lookback"], ThresholdFraction = stage1.BestParams["threshold"] }.Detect(Nyse.Close);
        var defaultLabels = new TrendRegimeDetector().Detect(Nyse.Close);
        Assert.False(labels.SequenceEqual(defaultLabels), "the tuned detector should label differently from the default (50, 0.02)");
        Assert.Equal(StudyState.Completed, result.RuleParameters.State);
        for (var label = 0; label < TrendRegimeDetector.RegimeNames.Count; label++)
        {
            Assert.Equal(labels.Count(l => l == label), result.RuleParameters.RegimeResults[TrendRegimeDetector.RegimeNames[label]].BarCount);
        }

        // Stage 3: each regime's best weights, backtested with that regime's stage-2 rule parameters (Bollinger at its
        // defaults), reproduce the reported score on that regime's bars; with the rules' starting parameters they do not.
        Assert.Equal(StudyState.Completed, result.RuleWeights.State);
        var searched = result.RuleWeights.RegimeResults.Where(r => !r.Value.Skipped).ToList();
        Assert.NotEmpty(searched);
        var differs = 0;
        foreach (var (regime, regimeResult) in searched)
        {
            var label = TrendRegimeDetector.RegimeNames.ToList().IndexOf(regime);
            var stage2 = result.RuleParameters.RegimeResults[regime].TargetResults;
            var weights = regimeResult.TargetResults["rule_weights"].BestParams;
            var ma = new MovingAverageCrossoverRule(
                (int)stage2["ma_rule_params"].BestParams["ma_crossover_rule.fast_window"], (int)stage2["ma_rule_params"].BestParams["ma_crossover_rule.slow_window"]);
            var rsi = new RsiRule(
                (int)stage2["rsi_rule_params"].BestParams["rsi_rule.period"], stage2["rsi_rule_params"].BestParams["rsi_rule.oversold"],
                stage2["rsi_rule_params"].BestParams["rsi_rule.overbought"]);
            var score = Reference.Sharpe(Reference.Equity(Nyse.Close,
            [
                (ma, weights["ma_crossover_rule.weight"]), (rsi, weights["rsi_rule.weight"]), (new BollingerBandsRule(20, 2.0), weights["bollinger_rule.weight"]),
            ]), t => labels[t] == label);
            Assert.Equal(score, regimeResult.TargetResults["rule_weights"].BestScore, 9);

            var withStartingParameters = Reference.Sharpe(Reference.Equity(Nyse.Close,
            [
                (new MovingAverageCrossoverRule(10, 50), weights["ma_crossover_rule.weight"]), (new RsiRule(14, 30, 70), weights["rsi_rule.weight"]),
                (new BollingerBandsRule(20, 2.0), weights["bollinger_rule.weight"]),
            ]), t => labels[t] == label);
            differs += Math.Abs(withStartingParameters - score) > 1e-6 ? 1 : 0;
        }

        Assert.True(differs > 0, "stage 3's scores should depend on stage 2's per-regime parameters");
    }
}
