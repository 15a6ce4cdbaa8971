using OptimizerGrpc.Client;
using OptimizerGrpc.Trading;

namespace OptimizerGrpc.Optimization.Tests.Running;

public sealed class RegimeAndWalkForwardTests(InProcessServer server) : IClassFixture<InProcessServer>
{
    private static readonly PriceSeries Nyse = new CsvDataHandler().Load(Repository.File("samples", "data", "nyse_composite_daily_1966_2002.csv"));

    [Fact]
    public async Task RunOptimization_RegimeSpecific_ReportsEachRegimesBarsWinnersAndSkips()
    {
        await using var client = new OptimizerClient(server.Address);
        var ma = new MovingAverageCrossoverRule(10, 50);
        var rsi = new RsiRule(14, 30, 70);
        var detector = new TrendRegimeDetector();
        var manager = new OptimizationManager(client)
            .RegisterTarget("weights", new RuleWeightsTarget([ma, rsi], weightStep: 0.5))
            .RegisterTarget("detector", new RegimeDetectorTarget(detector))
            .RegisterMethod("grid", new GridSearchMethod())
            .RegisterMetric("sharpe", new SharpeRatioMetric())
            // The default detector labels 3,873 / 3,461 / 1,977 bars; 2,500 leaves trending_down out.
            .RegisterSequence("regime", new RegimeSpecificOptimization(minRegimeData: 2500));

        var result = await manager.RunOptimizationAsync("regime", ["weights"], Nyse, options: new RunOptions { RegimeDetectorTarget = "detector" });

        var labels = detector.Detect(Nyse.Close);
        Assert.Equal(StudyState.Completed, result.State);
        Assert.Empty(result.TargetResults);
        Assert.Equal(TrendRegimeDetector.RegimeNames.Order(), result.RegimeResults.Keys.Order());
        for (var label = 0; label < TrendRegimeDetector.RegimeNames.Count; label++)
        {
            var regime = result.RegimeResults[TrendRegimeDetector.RegimeNames[label]];
            var bars = labels.Count(l => l == label);
            Assert.Equal(bars, regime.BarCount);
            Assert.Equal(bars < 2500, regime.Skipped);
            if (regime.Skipped)
            {
                Assert.False(string.IsNullOrWhiteSpace(regime.SkipReason));
                Assert.Empty(regime.TargetResults);
                continue;
            }

            // The winner is the argmax of the reference Sharpe ratio on this regime's bars over the 3 x 3 weight grid.
            var current = label;
            var expected = (from wm in new[] { 0.0, 0.5, 1.0 }
                            from wr in new[] { 0.0, 0.5, 1.0 }
                            select Reference.Sharpe(Reference.Equity(Nyse.Close, [(ma, wm), (rsi, wr)]), t => labels[t] == current)).Max();
            var best = regime.TargetResults["weights"];
            Assert.Null(regime.SkipReason);
            Assert.Equal(expected, best.BestScore, 9);
            Assert.Equal(expected, Reference.Sharpe(
                Reference.Equity(Nyse.Close, [(ma, best.BestParams["ma_crossover.weight"]), (rsi, best.BestParams["rsi.weight"])]), t => labels[t] == current), 9);
        }
    }

    [Fact]
    public async Task RunOptimization_RegimeSpecificByVolatility_WinnersAreEachRegimesArgmax()
    {
        await using var client = new OptimizerClient(server.Address);
        var ma = new MovingAverageCrossoverRule(10, 50);
        var rsi = new RsiRule(14, 30, 70);
        var detector = new VolatilityRegimeDetector { LookbackBars = 20, ThresholdVolatility = 0.12 };
        var manager = new OptimizationManager(client)
            .RegisterTarget("weights", new RuleWeightsTarget([ma, rsi], weightStep: 0.5))
            .RegisterTarget("volatility", new RegimeDetectorTarget(detector))
            .RegisterMethod("grid", new GridSearchMethod())
            .RegisterMetric("sharpe", new SharpeRatioMetric())
            .RegisterSequence("regime", new RegimeSpecificOptimization(minRegimeData: 100));

        var result = await manager.RunOptimizationAsync("regime", ["weights"], Nyse, options: new RunOptions { RegimeDetectorTarget = "volatility" });

        var labels = detector.Detect(Nyse.Close);
        Assert.Equal(20, labels.Count(l => l == -1)); // the warm-up belongs to no regime
        Assert.Equal(StudyState.Completed, result.State);
        Assert.Equal(VolatilityRegimeDetector.RegimeNames.Order(), result.RegimeResults.Keys.Order());
        for (var label = 0; label < VolatilityRegimeDetector.RegimeNames.Count; label++)
        {
            var regime = result.RegimeResults[VolatilityRegimeDetector.RegimeNames[label]];
            var bars = labels.Count(l => l == label);
            Assert.InRange(bars, 100, Nyse.Count - 20);
            Assert.Equal(bars, regime.BarCount);
            Assert.False(regime.Skipped);

            // The winner is the argmax of the reference Sharpe ratio on this regime's bars over the 3 x 3 weight grid.
            var current = label;
            var expected = (from wm in new[] { 0.0, 0.5, 1.0 }
                            from wr in new[] { 0.0, 0.5, 1.0 }
                            select Reference.Sharpe(Reference.Equity(Nyse.Close, [(ma, wm), (rsi, wr)]), t => labels[t] == current)).Max();
            var best = regime.TargetResults["weights"];
            Assert.Equal(expected, best.BestScore, 9);
            Assert.Equal(expected, Reference.Sharpe(
                Reference.Equity(Nyse.Close, [(ma, best.BestParams["ma_crossover.weight"]), (rsi, best.BestParams["rsi.weight"])]), t => labels[t] == current), 9);
        }
    }

    [Fact]
    public async Task RunOptimization_VolatilityDetectorTunedByAccuracy_WinnerPredictsForwardVolatilityBest()
    {
        await using var client = new OptimizerClient(server.Address);
        var space = new Dictionary<string, ParameterDomain>
        {
            [VolatilityRegimeDetector.Lookback] = ParameterDomain.List([10, 20, 40]),
            [VolatilityRegimeDetector.Threshold] = ParameterDomain.List([0.10, 0.15, 0.20]),
        };
        var manager = new OptimizationManager(client)
            .RegisterTarget("volatility", new RegimeDetectorTarget(new VolatilityRegimeDetector(), space))
            .RegisterMethod("grid", new GridSearchMethod())
            .RegisterMetric("accuracy", new RegimeClassificationAccuracyMetric(horizonBars: 20))
            .RegisterSequence("single", new SingleOptimization());

        var result = await manager.RunOptimizationAsync("single", ["volatility"], Nyse);

        // Independently: label with a rolling sample sd of log returns, compare with the forward 20-bar sd, both x sqrt 252.
        var close = Nyse.Close;
        var logs = Enumerable.Range(1, close.Length - 1).Select(t => Math.Log(close[t] / close[t - 1])).ToArray(); // logs[t-1] is bar t's
        double Vol(int from, int count) // returns of bars from..from+count-1
        {
            var w = logs.AsSpan(from - 1, count).ToArray();
            var mean = w.Average();
            return Math.Sqrt(w.Sum(u => (u - mean) * (u - mean)) / (count - 1) * 252);
        }

        double Accuracy(int lookback, double threshold)
        {
            int scored = 0, correct = 0;
            for (var t = lookback; t + 20 < close.Length; t++)
            {
                int label = Vol(t - lookback + 1, lookback) > threshold ? 1 : 0, realised = Vol(t + 1, 20) > threshold ? 1 : 0;
                scored++;
                correct += label == realised ? 1 : 0;
            }

            return (double)correct / scored;
        }

        var best = (from l in new[] { 10, 20, 40 } from th in new[] { 0.10, 0.15, 0.20 } select (l, th, accuracy: Accuracy(l, th))).MaxBy(x => x.accuracy);
        var winner = result.TargetResults["volatility"];
        Assert.Equal(StudyState.Completed, result.State);
        Assert.Equal(9, result.Counts.Completed);
        Assert.Equal(best.accuracy, winner.BestScore, 9);
        Assert.Equal(best.l, winner.BestParams[VolatilityRegimeDetector.Lookback]);
        Assert.Equal(best.th, winner.BestParams[VolatilityRegimeDetector.Threshold], 12);
    }

    [Fact]
    public async Task RunOptimization_WalkForward_ReportsWindowsAndStitchedOutOfSample()
    {
        await using var client = new OptimizerClient(server.Address);
        var rule = new MovingAverageCrossoverRule();
        var manager = new OptimizationManager(client)
            .RegisterTarget("ma", new RuleParametersTarget([rule], new Dictionary<string, ParameterDomain>
            {
                ["ma_crossover.fast_window"] = ParameterDomain.List([10, 20]),
                ["ma_crossover.slow_window"] = ParameterDomain.List([50, 100]),
            }))
            .RegisterMethod("grid", new GridSearchMethod())
            .RegisterMetric("sharpe", new SharpeRatioMetric())
            .RegisterSequence("walk", new WalkForwardOptimization(inSampleBars: 3000, outOfSampleBars: 2000));

        var result = await manager.RunOptimizationAsync("walk", ["ma"], Nyse);

        Assert.Equal(StudyState.Completed, result.State);
        var walk = Assert.IsType<WalkForwardResult>(result.WalkForward);
        // 9,311 bars: windows start every 2,000 bars while 3,000 + 2,000 still fit.
        Assert.Equal([0, 1, 2], walk.Windows.Select(w => w.Index));
        Assert.Equal([new(0, 3000), new(2000, 5000), new(4000, 7000)], walk.Windows.Select(w => w.InSample));
        Assert.Equal([new(3000, 5000), new(5000, 7000), new(7000, 9000)], walk.Windows.Select(w => w.OutOfSample));
        foreach (var window in walk.Windows)
        {
            // In sample the winner is the grid's best Sharpe ratio on the window's bars; out of sample it is scored on the next bars.
            var scores = (from fast in new[] { 10, 20 }
                          from slow in new[] { 50, 100 }
                          let equity = new Backtester().Run(Nyse.Close, new MovingAverageCrossoverRule(fast, slow).GeneratePositions(Nyse.Close)).Equity
                          select (fast, slow, inSample: Reference.Sharpe(equity, t => t >= window.InSample.StartBar && t < window.InSample.EndBar),
                                  outOfSample: Reference.Sharpe(equity, t => t >= window.OutOfSample.StartBar && t < window.OutOfSample.EndBar))).ToList();
            var best = scores.MaxBy(s => s.inSample);
            Assert.Equal(best.fast, window.BestParams["ma.ma_crossover.fast_window"]);
            Assert.Equal(best.slow, window.BestParams["ma.ma_crossover.slow_window"]);
            Assert.Equal(best.inSample, window.InSampleMetrics["sharpe_ratio"], 9);
            Assert.Equal(best.outOfSample, window.OutOfSampleMetrics["sharpe_ratio"], 9);
        }

        Assert.Equal(1.0, walk.StitchedEquity[0], 12);
        Assert.Equal(walk.StitchedEquity[^1] - 1, walk.StitchedReturn, 9);
        var profitable = walk.Windows.Count(w => w.OutOfSampleMetrics["total_return"] > 0) / 3.0;
        Assert.Equal(profitable, walk.ProfitableWindowShare, 12);
        Assert.Equal(["ma.ma_crossover.fast_window", "ma.ma_crossover.slow_window"], walk.ParameterStability.Keys.Order());
    }
}
