using OptimizerGrpc.Client;
using OptimizerGrpc.Optimization;
using OptimizerGrpc.Trading;

namespace OptimizerGrpc.Examples;

/// <summary>
/// The spec's "Comprehensive Multi-Stage Optimization" as three linked studies on one manager, each using the
/// previous one's output:
/// <list type="number">
/// <item>the regime detector's lookback and threshold, by grid search on its own metric (classification accuracy of
/// its labels against the realised regime of the next 20 bars); the manager applies the winner to the detector;</item>
/// <item>the moving-average and RSI rules' parameters per regime (grid search, Sharpe ratio), the bars labelled by the
/// tuned detector; the manager keeps each regime's winners;</item>
/// <item>the three rules' weights per regime (genetic algorithm, Sharpe ratio), each regime's trials backtested with
/// that regime's stage-2 rule parameters.</item>
/// </list>
/// </summary>
internal static class MultiStageWorkflow
{
    /// <summary>The rules' names, as used in parameter names ("ma_crossover_rule.fast_window").</summary>
    public const string MaRule = "ma_crossover_rule", RsiRuleName = "rsi_rule", BollingerRule = "bollinger_rule";

    /// <summary>Runs the three stages and returns their results and the components they tuned.</summary>
    public static async Task<MultiStageResult> RunAsync(OptimizerClient client, PriceSeries data, int workers)
    {
        var detector = new TrendRegimeDetector();
        var ma = new NamedRule(MaRule, new MovingAverageCrossoverRule(10, 50));
        var rsi = new NamedRule(RsiRuleName, new RsiRule(14, 30, 70));
        var bollinger = new NamedRule(BollingerRule, new BollingerBandsRule(20, 2.0));

        var manager = new OptimizationManager(client)
            .RegisterTarget("regime_detector", new RegimeDetectorTarget(detector))
            .RegisterTarget("ma_rule_params", new RuleParametersTarget([ma], new Dictionary<string, ParameterDomain>
            {
                [$"{MaRule}.fast_window"] = ParameterDomain.List([5, 10, 20, 40]),
                [$"{MaRule}.slow_window"] = ParameterDomain.List([50, 100, 150, 200]),
            }))
            .RegisterTarget("rsi_rule_params", new RuleParametersTarget([rsi], new Dictionary<string, ParameterDomain>
            {
                [$"{RsiRuleName}.period"] = ParameterDomain.List([7, 14, 21]),
                [$"{RsiRuleName}.oversold"] = ParameterDomain.List([20, 30]),
                [$"{RsiRuleName}.overbought"] = ParameterDomain.List([70, 80]),
            }))
            .RegisterTarget("rule_weights", new RuleWeightsTarget([ma, rsi, bollinger], weightStep: 0.25))
            .RegisterMethod("grid_search", new GridSearchMethod(verbose: true))
            .RegisterMethod("genetic", new GeneticMethod(populationSize: 20, generations: 8) { Seed = 11 })
            .RegisterMetric("classification_accuracy", new RegimeClassificationAccuracyMetric(horizonBars: 20, band: 0.02))
            .RegisterMetric("sharpe_ratio", new SharpeRatioMetric(riskFreeRate: 0.0, annualizationFactor: 252))
            .RegisterSequence("sequential", new SequentialOptimization())
            .RegisterSequence("regime_specific", new RegimeSpecificOptimization(minRegimeData: 100));
        var options = new RunOptions { Workers = workers };

        // Stage 1: optimize the regime detector's parameters.
        var regimeResult = await manager.RunOptimizationAsync(
            "sequential", ["regime_detector"], data,
            methods: new Dictionary<string, string> { ["regime_detector"] = "grid_search" },
            metrics: new Dictionary<string, string> { ["regime_detector"] = "classification_accuracy" },
            options: options with { ResultKey = "stage1" });

        // Stage 2: optimize rule parameters by regime, the regimes labelled by the tuned detector.
        var ruleParamsResult = await manager.RunOptimizationAsync(
            "regime_specific", ["ma_rule_params", "rsi_rule_params"], data,
            methods: new Dictionary<string, string> { ["ma_rule_params"] = "grid_search", ["rsi_rule_params"] = "grid_search" },
            metrics: new Dictionary<string, string> { ["ma_rule_params"] = "sharpe_ratio", ["rsi_rule_params"] = "sharpe_ratio" },
            options: options with { RegimeDetectorTarget = "regime_detector", ResultKey = "stage2" });

        // Stage 3: optimize rule weights by regime, each regime's rules at that regime's stage-2 parameters.
        var ruleWeightsResult = await manager.RunOptimizationAsync(
            "regime_specific", ["rule_weights"], data,
            methods: new Dictionary<string, string> { ["rule_weights"] = "genetic" },
            metrics: new Dictionary<string, string> { ["rule_weights"] = "sharpe_ratio" },
            options: options with { RegimeDetectorTarget = "regime_detector", ResultKey = "stage3" });

        return new MultiStageResult(regimeResult, ruleParamsResult, ruleWeightsResult, detector, [ma, rsi, bollinger]);
    }

    /// <summary>Prints the final optimized strategy configuration, as the spec's example does.</summary>
    public static void Print(MultiStageResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Console.WriteLine("\nFinal Optimized Strategy Configuration:");
        Console.WriteLine("\nRegime Detector:");
        var detector = result.RegimeDetector.TargetResults["regime_detector"];
        Console.WriteLine($"  Parameters: {BasicExample.Format(detector.BestParams)} (classification accuracy {detector.BestScore:P1})");

        Console.WriteLine("\nRule Parameters by Regime:");
        foreach (var (regimeType, regimeResult) in result.RuleParameters.RegimeResults)
        {
            Console.WriteLine($"\n  Regime: {regimeType} ({regimeResult.BarCount:N0} bars{(regimeResult.Skipped ? ", skipped: " + regimeResult.SkipReason : "")})");
            foreach (var (targetName, targetResult) in regimeResult.TargetResults)
            {
                Console.WriteLine($"    {targetName}: {BasicExample.Format(targetResult.BestParams)}");
            }
        }

        Console.WriteLine("\nRule Weights by Regime:");
        foreach (var (regimeType, regimeResult) in result.RuleWeights.RegimeResults.Where(r => !r.Value.Skipped))
        {
            var weights = regimeResult.TargetResults["rule_weights"];
            Console.WriteLine($"\n  Regime: {regimeType}");
            Console.WriteLine($"    Weights: {BasicExample.Format(weights.BestParams)} (Sharpe ratio {weights.BestScore:F4})");
        }
    }
}

/// <summary>The three stages' results and the components they tuned.</summary>
/// <param name="RegimeDetector">Stage 1: the detector's best parameters.</param>
/// <param name="RuleParameters">Stage 2: rule parameters per regime.</param>
/// <param name="RuleWeights">Stage 3: rule weights per regime.</param>
/// <param name="Detector">The detector, left at stage 1's winner.</param>
/// <param name="Rules">The three rules under their names.</param>
internal sealed record MultiStageResult(
    OptimizationResult RegimeDetector, OptimizationResult RuleParameters, OptimizationResult RuleWeights,
    TrendRegimeDetector Detector, IReadOnlyList<NamedRule> Rules);
