using System.Globalization;
using OptimizerGrpc.Client;
using OptimizerGrpc.Optimization;
using OptimizerGrpc.Trading;

namespace OptimizerGrpc.Examples;

/// <summary>
/// The spec's "Regime-Specific Rule Weight Optimization": the weights of a moving-average crossover, an RSI and a
/// Bollinger rule, searched by a genetic algorithm separately in each trend regime of the series.
/// </summary>
internal static class RegimeExample
{
    /// <summary>Registers the components, runs the regime-specific search and prints each regime's weights and score.</summary>
    public static async Task<OptimizationResult> RunAsync(OptimizerClient client, PriceSeries data, int workers)
    {
        ITradingRule maCrossoverRule = new MovingAverageCrossoverRule(10, 50), rsiRule = new RsiRule(14, 30, 70), bollingerRule = new BollingerBandsRule(20, 2.0);
        var trendRegimeDetector = new TrendRegimeDetector { LookbackBars = 50, ThresholdFraction = 0.02 };

        var optimizationManager = new OptimizationManager(client)
            .RegisterTarget("rule_weights", new RuleWeightsTarget([maCrossoverRule, rsiRule, bollingerRule]))
            .RegisterTarget("regime_detector", new RegimeDetectorTarget(trendRegimeDetector))
            // The spec's 50 x 50 generations; a smaller population keeps the example to seconds on two cores.
            .RegisterMethod("genetic", new GeneticMethod(populationSize: 20, generations: 10) { Seed = 7 })
            .RegisterMethod("grid_search", new GridSearchMethod(verbose: true))
            .RegisterMetric("sharpe_ratio", new SharpeRatioMetric())
            .RegisterSequence("regime_specific", new RegimeSpecificOptimization());

        var result = await optimizationManager.RunOptimizationAsync(
            sequenceName: "regime_specific",
            targets: ["rule_weights"],
            data: data,
            methods: new Dictionary<string, string> { ["rule_weights"] = "genetic" },
            metrics: new Dictionary<string, string> { ["rule_weights"] = "sharpe_ratio" },
            options: new RunOptions { RegimeDetectorTarget = "regime_detector", Workers = workers });

        Console.WriteLine("Optimization results by regime:");
        foreach (var (regimeType, regimeResult) in result.RegimeResults)
        {
            Console.WriteLine($"\nRegime: {regimeType} ({regimeResult.BarCount:N0} bars)");
            if (regimeResult.Skipped)
            {
                Console.WriteLine($"Skipped: {regimeResult.SkipReason}");
                continue;
            }

            var ruleWeightsResult = regimeResult.TargetResults["rule_weights"];
            Console.WriteLine($"Best weights: {BasicExample.Format(ruleWeightsResult.BestParams)}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Best score: {ruleWeightsResult.BestScore:F4}"));
        }

        return result;
    }
}
