using OptimizerGrpc.Client;
using OptimizerGrpc.Trading;

namespace OptimizerGrpc.Optimization.Tests;

public sealed class ManagerEndToEndTests(InProcessServer server) : IClassFixture<InProcessServer>
{
    private static readonly PriceSeries Nyse = new CsvDataHandler().Load(Repository.File("samples", "data", "nyse_composite_daily_1966_2002.csv"));

    [Fact]
    public async Task RunOptimization_GridOnNyse_BestParamsAreTheLocalArgmax()
    {
        await using var client = new OptimizerClient(server.Address);
        var rule = new MovingAverageCrossoverRule();
        var space = new Dictionary<string, ParameterDomain>
        {
            ["ma_crossover.fast_window"] = ParameterDomain.Integer(5, 50, 5),
            ["ma_crossover.slow_window"] = ParameterDomain.Integer(20, 200, 20),
        };
        var manager = new OptimizationManager(client)
            .RegisterTarget("ma_rule_params", new RuleParametersTarget([rule], space))
            .RegisterMethod("grid_search", new GridSearchMethod(verbose: true))
            .RegisterMetric("sharpe_ratio", new SharpeRatioMetric(riskFreeRate: 0.0, annualizationFactor: 252))
            .RegisterSequence("sequential", new SequentialOptimization());
        long started = 0, finished = 0, bests = 0;
        manager.OptimizationStarted += (_, e) => Interlocked.Exchange(ref started, e.Budget ?? -1);
        var names = new System.Collections.Concurrent.ConcurrentBag<string>();
        manager.TrialCompleted += (_, e) =>
        {
            Interlocked.Increment(ref finished);
            foreach (var name in e.Trial.Params.Keys)
            {
                names.Add(name);
            }
        };
        manager.NewBest += (_, _) => Interlocked.Increment(ref bests);

        var result = await manager.RunOptimizationAsync("sequential", ["ma_rule_params"], Nyse, options: new RunOptions { Workers = 4 });

        // Independent reference: the sweep scores every valid pair of the same grid on the same series.
        var sweep = new MovingAverageSweep(Nyse.Close, annualizationFactor: 252);
        var expected = (from fast in Enumerable.Range(1, 10).Select(i => i * 5)
                        from slow in Enumerable.Range(1, 10).Select(i => i * 20)
                        where fast < slow
                        select sweep.Evaluate(fast, slow)).MaxBy(s => s.SharpeRatio);
        var best = result.TargetResults["ma_rule_params"];
        Assert.Equal(StudyState.Completed, result.State);
        Assert.Equal(expected.Fast, best.BestParams["ma_crossover.fast_window"]);
        Assert.Equal(expected.Slow, best.BestParams["ma_crossover.slow_window"]);
        Assert.Equal(expected.SharpeRatio, best.BestScore, 9);
        Assert.Equal("sharpe_ratio", best.Metric);
        Assert.Equal(90, result.Counts.Completed); // 100 grid points minus the 10 with fast >= slow, excluded by the relationship
        Assert.Equal(100, started);
        Assert.True(Interlocked.Read(ref finished) > 0 && Interlocked.Read(ref bests) > 0);
        // Events name parameters as the spec does, not as they travel ("ma_crossover__fast_window").
        Assert.Equal(["ma_rule_params.ma_crossover.fast_window", "ma_rule_params.ma_crossover.slow_window"], names.Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(expected.Fast, rule.Fast); // the target is left at its best parameters
        Assert.Same(result, manager.GetResult("sequential_ma_rule_params_default"));
    }

    [Fact]
    public async Task RunOptimization_SequentialWithTwoTargets_RunsAStagePerTargetOnTheServer()
    {
        await using var client = new OptimizerClient(server.Address);
        var manager = new OptimizationManager(client)
            .RegisterTarget("ma", new RuleParametersTarget([new MovingAverageCrossoverRule()], new Dictionary<string, ParameterDomain>
            {
                ["ma_crossover.fast_window"] = ParameterDomain.Integer(5, 10, 5),
            }))
            .RegisterTarget("sizing", new PositionSizingTarget(new PositionSizer()))
            .RegisterMethod("grid", new GridSearchMethod())
            .RegisterMetric("sharpe", new SharpeRatioMetric())
            .RegisterSequence("sequential", new SequentialOptimization());

        var result = await manager.RunOptimizationAsync("sequential", ["ma", "sizing"], Nyse);

        Assert.Equal(StudyState.Completed, result.State);
        Assert.Equal(["ma", "sizing"], result.TargetResults.Keys.Order());
        Assert.Contains(result.TargetResults["ma"].BestParams["ma_crossover.fast_window"], new[] { 5.0, 10.0 });
    }
}
