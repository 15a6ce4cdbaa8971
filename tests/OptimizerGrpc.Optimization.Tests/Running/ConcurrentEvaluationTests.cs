using System.Collections.Concurrent;
using OptimizerGrpc.Client;
using OptimizerGrpc.Trading;

namespace OptimizerGrpc.Optimization.Tests.Running;

public sealed class ConcurrentEvaluationTests(InProcessServer server) : IClassFixture<InProcessServer>
{
    private static readonly PriceSeries Nyse = new CsvDataHandler().Load(Repository.File("samples", "data", "nyse_composite_daily_1966_2002.csv"));

    [Fact]
    public async Task RunOptimization_FourWorkers_ScoresEveryTrialAsOneWorkerDoes_AndNeverTouchesTheTargets()
    {
        await using var client = new OptimizerClient(server.Address);
        var scores = new List<Dictionary<string, double>>();
        foreach (var workers in new[] { 1, 4 })
        {
            var ma = new MovingAverageCrossoverRule(10, 50);
            var rsi = new RsiRule(14, 30, 70);
            var manager = new OptimizationManager(client)
                .RegisterTarget("rules", new RuleParametersTarget([ma, rsi], new Dictionary<string, ParameterDomain>
                {
                    ["ma_crossover.fast_window"] = ParameterDomain.Integer(5, 40, 5),
                    ["ma_crossover.slow_window"] = ParameterDomain.Integer(50, 200, 50),
                    ["rsi.period"] = ParameterDomain.List([7, 21]),
                }))
                .RegisterTarget("sizing", new PositionSizingTarget(new PositionSizer(0.5)))
                .RegisterMethod("grid", new GridSearchMethod())
                .RegisterMetric("sharpe", new SharpeRatioMetric())
                .RegisterSequence("single", new SingleOptimization());

            // While trials run, the registered rules keep their starting values: each evaluation has its own copies.
            var seenDuringRun = new ConcurrentBag<(int Fast, int Slow, double Period)>();
            manager.TrialCompleted += (_, _) => seenDuringRun.Add((ma.Fast, ma.Slow, rsi.GetParameters()[RsiRule.Period]));

            var result = await manager.RunOptimizationAsync("single", ["rules"], Nyse, options: new RunOptions { Workers = workers });

            Assert.Equal(StudyState.Completed, result.State);
            Assert.Equal(64, result.Counts.Completed);
            Assert.NotEmpty(seenDuringRun);
            Assert.All(seenDuringRun, seen => Assert.Equal((10, 50, 14.0), seen));
            var best = result.TargetResults["rules"].BestParams;
            Assert.Equal((best["ma_crossover.fast_window"], best["ma_crossover.slow_window"]), (ma.Fast, ma.Slow)); // winners applied after the run

            var trials = new Dictionary<string, double>(StringComparer.Ordinal);
            await foreach (var trial in client.ListTrialsAsync(result.StudyId))
            {
                trials[string.Join(",", trial.Params.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value.AsDouble()}"))] = trial.Values["sharpe_ratio"];
            }

            scores.Add(trials);
        }

        Assert.Equal(64, scores[0].Count);
        Assert.Equal(scores[0].Keys.Order(), scores[1].Keys.Order());
        Assert.All(scores[0], s => Assert.Equal(s.Value, scores[1][s.Key], 12));
    }

    [Fact]
    public void Clone_ChangingTheCopy_LeavesTheOriginal()
    {
        var rule = new MovingAverageCrossoverRule(10, 50, allowShort: true);
        var copy = (MovingAverageCrossoverRule)rule.Clone();

        copy.SetParameters(new Dictionary<string, double> { [MovingAverageCrossoverRule.FastWindow] = 20 });

        Assert.Equal((10, 50), (rule.Fast, rule.Slow));
        Assert.Equal((20, 50), (copy.Fast, copy.Slow));
        Assert.True(copy.AllowShort);
    }
}
