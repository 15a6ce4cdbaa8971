using System.Globalization;
using OptimizerGrpc.Client;
using OptimizerGrpc.Optimization;
using OptimizerGrpc.Trading;

namespace OptimizerGrpc.Examples;

/// <summary>The spec's "Basic Rule Parameter Optimization": grid search over two moving-average crossover rules' windows.</summary>
internal static class BasicExample
{
    /// <summary>Registers the components, runs the sequential grid search and prints the best parameters and score.</summary>
    public static async Task<OptimizationResult> RunAsync(OptimizerClient client, PriceSeries data, int workers)
    {
        var maCrossoverRule = new NamedRule("ma_crossover_rule", new MovingAverageCrossoverRule(10, 50));
        var maFilterRule = new NamedRule("ma_filter_rule", new MovingAverageCrossoverRule(50, 200));

        // The rules' full ranges (fast 2..100 x slow 5..400, each) are narrowed to a grid that runs in seconds.
        var space = new Dictionary<string, ParameterDomain>
        {
            ["ma_crossover_rule.fast_window"] = ParameterDomain.Integer(5, 50, 5),
            ["ma_crossover_rule.slow_window"] = ParameterDomain.Integer(20, 200, 20),
            ["ma_filter_rule.fast_window"] = ParameterDomain.List([20, 50]),
            ["ma_filter_rule.slow_window"] = ParameterDomain.List([100, 200]),
        };

        var optimizationManager = new OptimizationManager(client)
            .RegisterTarget("ma_rule_params", new RuleParametersTarget([maCrossoverRule, maFilterRule], space))
            .RegisterMethod("grid_search", new GridSearchMethod(verbose: true))
            .RegisterMetric("sharpe_ratio", new SharpeRatioMetric(riskFreeRate: 0.0, annualizationFactor: 252))
            .RegisterSequence("sequential", new SequentialOptimization());

        var result = await optimizationManager.RunOptimizationAsync(
            sequenceName: "sequential",
            targets: ["ma_rule_params"],
            data: data,
            methods: new Dictionary<string, string> { ["ma_rule_params"] = "grid_search" },
            metrics: new Dictionary<string, string> { ["ma_rule_params"] = "sharpe_ratio" },
            options: new RunOptions { Workers = workers });

        var best = result.TargetResults["ma_rule_params"];
        Console.WriteLine($"Best parameters: {Format(best.BestParams)}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Best score: {best.BestScore:F4} ({best.Metric}, {result.Counts.Completed} trials)"));
        return result;
    }

    internal static string Format(IReadOnlyDictionary<string, double> values) =>
        "{" + string.Join(", ", values.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}: {p.Value:G6}"))) + "}";
}
