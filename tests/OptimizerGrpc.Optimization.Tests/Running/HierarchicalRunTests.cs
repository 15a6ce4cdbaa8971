using OptimizerGrpc.Client;
using OptimizerGrpc.Trading;

namespace OptimizerGrpc.Optimization.Tests.Running;

public sealed class HierarchicalRunTests(InProcessServer server) : IClassFixture<InProcessServer>
{
    private static readonly PriceSeries Nyse = new CsvDataHandler().Load(Repository.File("samples", "data", "nyse_composite_daily_1966_2002.csv"));

    [Fact]
    public async Task RunOptimization_Hierarchical_EachMovingAveragePairGetsItsBestRsiPeriod_BestPairIsTheGlobalArgmax()
    {
        await using var client = new OptimizerClient(server.Address);
        var manager = new OptimizationManager(client)
            .RegisterTarget("ma", new RuleParametersTarget([new MovingAverageCrossoverRule()], new Dictionary<string, ParameterDomain>
            {
                ["ma_crossover.fast_window"] = ParameterDomain.List([10, 20]),
                ["ma_crossover.slow_window"] = ParameterDomain.List([50, 100]),
            }))
            .RegisterTarget("rsi", new RuleParametersTarget([new RsiRule(14, 30, 70)], new Dictionary<string, ParameterDomain>
            {
                ["rsi.period"] = ParameterDomain.List([7, 14, 21]),
            }))
            .RegisterMethod("grid", new GridSearchMethod())
            .RegisterMetric("sharpe", new SharpeRatioMetric())
            .RegisterSequence("hierarchical", new HierarchicalOptimization());

        var result = await manager.RunOptimizationAsync("hierarchical", ["ma", "rsi"], Nyse);

        // Independently: the equal-weight combination of the two rules, for every (fast, slow, period).
        double Score(double fast, double slow, double period) => Reference.Sharpe(Reference.Equity(Nyse.Close,
            [(new MovingAverageCrossoverRule((int)fast, (int)slow), 1.0), (new RsiRule((int)period, 30, 70), 1.0)]), _ => true);
        Assert.Equal(StudyState.Completed, result.State);
        var h = Assert.IsType<HierarchicalResult>(result.Hierarchical);
        Assert.Equal(["ma"], h.OuterTargets);
        Assert.Equal(["rsi"], h.InnerTargets);
        Assert.Equal(4, h.Candidates.Count);
        foreach (var c in h.Candidates)
        {
            double fast = c.OuterParams["ma.ma_crossover.fast_window"], slow = c.OuterParams["ma.ma_crossover.slow_window"];
            double period = new[] { 7.0, 14, 21 }.MaxBy(p => Score(fast, slow, p));
            Assert.Equal(period, c.InnerBestParams["rsi.rsi.period"]);
            Assert.Equal(Score(fast, slow, period), c.BestScore, 9);
            Assert.Equal(3, c.Trials);
        }

        var best = h.Candidates.MaxBy(c => c.BestScore)!;
        Assert.Equal(best.OuterParams, h.Best!.OuterParams);
        Assert.Equal(best.InnerBestParams, h.Best.InnerBestParams);
        Assert.Equal(best.OuterParams["ma.ma_crossover.fast_window"], result.TargetResults["ma"].BestParams["ma_crossover.fast_window"]);
        Assert.Equal(best.InnerBestParams["rsi.rsi.period"], result.TargetResults["rsi"].BestParams["rsi.period"]);
        Assert.Equal(best.BestScore, result.TargetResults["rsi"].BestScore, 12);
        Assert.Equal(12, result.Counts.Completed);
    }
}
