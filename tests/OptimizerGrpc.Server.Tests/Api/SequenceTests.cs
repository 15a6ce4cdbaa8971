using OptimizerGrpc.Client;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Optimization;
using OptimizerGrpc.Trading;
using StageState = OptimizerGrpc.Client.StageState;
using StudyState = OptimizerGrpc.Client.StudyState;
using TrialOutcome = OptimizerGrpc.Client.TrialOutcome;
using TrialState = OptimizerGrpc.Client.TrialState;

namespace OptimizerGrpc.Server.Tests.Api;

/// <summary>
/// Sequential, parallel and regime-specific studies on the NYSE series, end to end from the C# client. Expected
/// winners and per-regime scores are computed independently in the test from the toolkit's backtests.
/// </summary>
public sealed class SequenceTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    internal static readonly Lazy<double[]> Close = new(() => new CsvDataHandler().Load(TestData.Path("nyse_composite_daily_1966_2002.csv")).Close);
    private static readonly Lazy<MovingAverageSweep> Sweep = new(() => new MovingAverageSweep(Close.Value));

    private static readonly int[] Fasts = [5, 10, 15, 20, 25, 30, 35, 40, 45];
    private static readonly int[] Slows = [50, 100, 150, 200, 250, 300];

    private static StudyBuilder TwoTargets(StudySequence sequence) => new StudyBuilder("sequence")
        .Target("entry", t => t.Int("fast", 5, 45, step: 5, defaultValue: 10))
        .Target("exit", t => t.Int("slow", 50, 300, step: 50, defaultValue: 200))
        .Relationship("entry.fast < exit.slow")
        .GridSearch()
        .Maximize("sharpe_ratio")
        .Sequence(sequence);

    [Fact]
    public async Task Sequential_SecondStageFixesTheFirstWinner_TargetResultsAreEachStagesWinner()
    {
        await using var host = await TestServerHost.StartAsync();
        var client = new OptimizerClient(host.Channel);
        var study = (await client.CreateStudyAsync(TwoTargets(new SequentialStages()))).Study;

        await RunAsync(client, study.StudyId);

        var trials = await client.ListTrialsAsync(study.StudyId).ToListAsync();
        var first = trials.Where(t => t.StageId == "stage-0").ToList();
        var second = trials.Where(t => t.StageId == "stage-1").ToList();
        Assert.Equal(9, first.Count);
        Assert.All(first, t => Assert.Equal(200, t["exit.slow"].AsInt64()));
        int bestFast = Fasts.MaxBy(f => Sweep.Value.Evaluate(f, 200).SharpeRatio);
        Assert.All(second, t => Assert.Equal(bestFast, t["entry.fast"].AsInt64()));
        Assert.Equal(Slows.Count(s => bestFast < s), second.Count);
        int bestSlow = Slows.Where(s => bestFast < s).MaxBy(s => Sweep.Value.Evaluate(bestFast, s).SharpeRatio);

        var result = await client.GetStudyResultAsync(study.StudyId);
        Assert.Equal(StudyState.Completed, result.Study.State);
        Assert.Equal(bestFast, result.TargetResults.Single(r => r.Target == "entry").BestParams["fast"].AsInt64());
        Assert.Equal(bestSlow, result.TargetResults.Single(r => r.Target == "exit").BestParams["slow"].AsInt64());
        Assert.Equal(Sweep.Value.Evaluate(bestFast, bestSlow).SharpeRatio, result.BestTrial!.Values["sharpe_ratio"], 9);
        Assert.Equal(bestFast, result.Study.Stages[1].FixedParams["entry.fast"].AsInt64());
        Assert.Equal([9L, 6L], result.Raw.Study.Stages.Select(s => s.PlannedTrials)); // each stage's grid
    }

    [Fact]
    public async Task Parallel_StagesRunAtOnceFromDefaults_WinnersCombined()
    {
        await using var host = await TestServerHost.StartAsync();
        var client = new OptimizerClient(host.Channel);
        var study = (await client.CreateStudyAsync(TwoTargets(new ParallelStages()))).Study;

        Assert.All((await client.GetStudyAsync(study.StudyId)).Stages, s => Assert.Equal(StageState.Running, s.State));
        await RunAsync(client, study.StudyId);

        var result = await client.GetStudyResultAsync(study.StudyId);
        int bestFast = Fasts.MaxBy(f => Sweep.Value.Evaluate(f, 200).SharpeRatio);
        int bestSlow = Slows.Where(s => 10 < s).MaxBy(s => Sweep.Value.Evaluate(10, s).SharpeRatio);
        Assert.Equal(bestFast, result.TargetResults.Single(r => r.Target == "entry").BestParams["fast"].AsInt64());
        Assert.Equal(bestSlow, result.TargetResults.Single(r => r.Target == "exit").BestParams["slow"].AsInt64());
    }

    [Fact]
    public async Task RegimeSpecific_AttributionAndSegmentModes_ScoresEqualIndependentRegimeReturnsAndTinyRegimeSkipped()
    {
        var (labels, names) = TrendRegimes(Close.Value);
        await using var host = await TestServerHost.StartAsync();
        var client = new OptimizerClient(host.Channel);

        async Task<StudyResultInfo> RunMode(StageEvaluation mode)
        {
            var spec = new StudyBuilder("regimes")
                .Target("ma", t => t.Int("fast", 10, 40, step: 15).Int("slow", 100, 250, step: 75))
                .GridSearch()
                .Maximize("sharpe_ratio")
                .Metrics(annualizationFactor: 252)
                .Data("nyse", labels.Length, labels, names)
                .Sequence(new RegimeSpecificStages { Mode = mode, MinRegimeData = 100 });
            var study = (await client.CreateStudyAsync(spec)).Study;
            var worker = new OptimizerWorker(client, [study.StudyId], (trial, _) => Task.FromResult(Evaluate(trial, mode)), new WorkerOptions { Capacity = 4 });
            await worker.RunAsync().WaitAsync(Limit);
            var result = await client.GetStudyResultAsync(study.StudyId);
            Assert.Equal(StudyState.Completed, result.Study.State);

            // Independently: Sharpe of the per-bar returns of one backtest restricted to the regime's bars.
            var trials = await client.ListTrialsAsync(study.StudyId).ToListAsync();
            foreach (var trial in trials)
            {
                Assert.Equal(TrialState.Completed, trial.State);
                var bars = trial.DataContext.Segments.SelectMany(s => Enumerable.Range((int)s.StartBar, (int)s.Length)).ToHashSet();
                var equity = Backtest(trial).Equity;
                var returns = Enumerable.Range(1, equity.Length - 1).Where(bars.Contains).Select(t => (equity[t] / equity[t - 1]) - 1).ToArray();
                Assert.Equal(SampleSharpe(returns), trial.Values["sharpe_ratio"], 9);
            }

            return result;
        }

        var attribution = await RunMode(StageEvaluation.Attribution);
        var segment = await RunMode(StageEvaluation.Segment);

        var regimes = attribution.Raw.RegimeResults;
        Assert.Equal(["bull", "bear", "crash"], regimes.Select(r => r.Regime));
        var crash = regimes.Single(r => r.Regime == "crash");
        Assert.True(crash.Skipped);
        Assert.Contains("fewer than min_regime_data (100)", crash.SkipReason, StringComparison.Ordinal);
        foreach (var regime in regimes.Where(r => !r.Skipped))
        {
            var other = segment.Raw.RegimeResults.Single(r => r.Regime == regime.Regime);
            Assert.Equal(regime.TargetResults[0].BestParams, other.TargetResults[0].BestParams);
            Assert.Equal(regime.TargetResults[0].BestScore, other.TargetResults[0].BestScore, 9);
        }
    }

    [Fact]
    public async Task RegimeSpecific_DetectorTarget_KeepsTheDetectorsLabellingSettingsInEveryTrial_AndIsValidated()
    {
        var (labels, names) = TrendRegimes(Close.Value);
        await using var host = await TestServerHost.StartAsync();
        var client = new OptimizerClient(host.Channel);
        StudyBuilder Spec(RegimeSpecificStages sequence) => new StudyBuilder("detector-then-rules")
            .Target("detector", t => t.Int("window", 50, 300, step: 50, defaultValue: 200))
            .Target("ma", t => t.Int("fast", 10, 40, step: 15).Int("slow", 100, 250, step: 75))
            .GridSearch()
            .Maximize("sharpe_ratio")
            .Data("nyse", labels.Length, labels, names)
            .Sequence(sequence);

        var study = (await client.CreateStudyAsync(Spec(new RegimeSpecificStages { Mode = StageEvaluation.Attribution, RegimeDetectorTarget = "detector" }))).Study;
        var worker = new OptimizerWorker(client, [study.StudyId], (trial, _) => Task.FromResult(Evaluate(trial, StageEvaluation.Attribution)), new WorkerOptions { Capacity = 4 });
        await worker.RunAsync().WaitAsync(Limit);

        var result = await client.GetStudyResultAsync(study.StudyId);
        Assert.Equal(StudyState.Completed, result.Study.State);
        Assert.All(result.Study.Stages, s => Assert.Equal(["ma"], s.Targets));
        var trials = await client.ListTrialsAsync(study.StudyId).ToListAsync();
        Assert.Equal(2 * 9, trials.Count); // bull and bear, 3 x 3 grid each; crash skipped
        Assert.All(trials, t => Assert.Equal(200, t["detector.window"].AsInt64()));

        var unknown = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => client.CreateStudyAsync(Spec(new RegimeSpecificStages { RegimeDetectorTarget = "detectr" })));
        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, unknown.StatusCode);
        Assert.Contains("regime_detector_target", unknown.Message, StringComparison.Ordinal);
        var searched = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => client.CreateStudyAsync(Spec(new RegimeSpecificStages
        {
            RegimeDetectorTarget = "detector",
            Stage = new StageDefinition { Targets = ["detector", "ma"] },
        })));
        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, searched.StatusCode);
        Assert.Contains("cannot also be searched per regime", searched.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegimeSpecific_BarsLabelledMinusOne_AreInNoRegime_LabelsBelowAreRefused()
    {
        await using var host = await TestServerHost.StartAsync();
        var client = new OptimizerClient(host.Channel);
        // 50 warm-up bars in no regime, then 150 "calm" and 200 "wild".
        int[] labels = [.. Enumerable.Repeat(-1, 50), .. Enumerable.Repeat(0, 150), .. Enumerable.Repeat(1, 200)];
        StudyBuilder Spec(int[] l) => new StudyBuilder("warm-up")
            .Target("ma", t => t.Int("fast", 10, 20, step: 10))
            .GridSearch()
            .Maximize("sharpe_ratio")
            .Data("synthetic", l.Length, l, ["calm", "wild"])
            .Sequence(new RegimeSpecificStages { MinRegimeData = 100 });

        var created = (await client.CreateStudyAsync(Spec(labels))).Study;

        var stages = (await host.Client.GetStudyAsync(new GetStudyRequest { StudyId = created.StudyId })).Study.Stages;
        Assert.Equal(["calm", "wild", "", ""], stages.Select(s => s.Regime)); // then calm's winner on wild, wild's on calm
        Assert.Equal(["", "", "calm", "wild"], stages.Select(s => s.WinnerOfRegime));
        Assert.Equal([(200L, 400L)], stages[2].DataContext.Segments.Segments.Select(w => (w.StartBar, w.EndBar)));
        Assert.Equal([(50L, 200L)], stages[0].DataContext.Segments.Segments.Select(w => (w.StartBar, w.EndBar)));
        Assert.Equal([(200L, 400L)], stages[1].DataContext.Segments.Segments.Select(w => (w.StartBar, w.EndBar)));
        labels[7] = -2;
        var ex = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => client.CreateStudyAsync(Spec(labels)));
        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains("spec.data.regime_labels[7]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WalkForward_RollingAttribution_StitchedReturnEqualsTheIndependentlyComputedOne()
    {
        await using var host = await TestServerHost.StartAsync();
        var client = new OptimizerClient(host.Channel);
        var close = Close.Value;
        var spec = new StudyBuilder("walk-forward")
            .Target("ma", t => t.Int("fast", 10, 50, step: 20).Int("slow", 100, 200, step: 100))
            .GridSearch()
            .Maximize("sharpe_ratio")
            .Metrics(annualizationFactor: 252)
            .Data("nyse", close.Length)
            .Sequence(new WalkForwardStages(InSampleBars: 2000, OutOfSampleBars: 1000)
            {
                StepBars = 1000, WindowMovement = WindowMovement.Rolling, Mode = StageEvaluation.Attribution,
            });
        var study = (await client.CreateStudyAsync(spec)).Study;
        var worker = new OptimizerWorker(client, [study.StudyId], (trial, _) => Task.FromResult(TrialOutcome.FromBacktest(Backtest(trial))),
            new WorkerOptions { Capacity = 4 });
        await worker.RunAsync().WaitAsync(Limit);

        var result = await client.GetStudyResultAsync(study.StudyId);
        Assert.Equal(StudyState.Completed, result.Study.State);
        var wf = result.Raw.WalkForward;
        Assert.Equal(7, wf.Windows.Count); // (9311 - 3000) / 1000 + 1 windows fit
        double stitched = 1;
        int profitable = 0;
        foreach (var window in wf.Windows)
        {
            long isStart = window.Index * 1000L, isEnd = isStart + 2000, oosEnd = isEnd + 1000;
            var (fast, slow) = (from f in new[] { 10, 30, 50 } from s in new[] { 100, 200 } select (f, s))
                .MaxBy(p => SampleSharpe(Returns(p.f, p.s, isStart, isEnd)));
            Assert.Equal(fast, window.BestParams["ma.fast"].IntValue);
            Assert.Equal(slow, window.BestParams["ma.slow"].IntValue);
            double growth = Returns(fast, slow, isEnd, oosEnd).Aggregate(1.0, (g, r) => g * (1 + r));
            Assert.Equal(growth - 1, window.OutOfSampleMetrics["total_return"], 9);
            profitable += growth > 1 ? 1 : 0;
            stitched *= growth;
        }

        Assert.Equal(stitched - 1, wf.StitchedReturn, 9);
        Assert.Equal(1 + (7 * 1000), wf.StitchedEquity.Count); // one return per out-of-sample bar, after the starting 1
        Assert.Equal((double)profitable / 7, wf.ProfitableWindowShare, 12);
        Assert.True(double.IsFinite(wf.Efficiency));
        Assert.Contains("ma.fast", wf.ParameterStability.Keys);

        // The analysis summarises the same windows: per-window efficiency, the stitched curve's statistics over its
        // 7,000 out-of-sample returns (N = the 7 x 6 in-sample trials), the drift that the result calls stability.
        var analysis = (await host.Client.AnalyzeStudyAsync(new AnalyzeStudyRequest { StudyId = study.StudyId })).Analysis;
        Assert.Equal(7, analysis.WalkForward.WindowEfficiency.Count);
        for (int w = 0; w < 7; w++)
        {
            Assert.Equal(wf.Windows[w].OutOfSampleMetrics["annualized_return"] / wf.Windows[w].InSampleMetrics["annualized_return"], analysis.WalkForward.WindowEfficiency[w], 12);
        }

        Assert.Equal(7000, analysis.WalkForward.Stitched.Periods);
        Assert.Equal(42, analysis.WalkForward.Stitched.Trials);
        Assert.Equal(wf.ParameterStability["ma.fast"], analysis.WalkForward.ParameterDrift["ma.fast"], 12);
        Assert.Equal(14, analysis.Stages.Count);
        Assert.All(analysis.Stages.Where((_, i) => i % 2 == 1), s => Assert.Contains("validation stage", s.Unavailable, StringComparison.Ordinal));
    }

    // Per-bar returns of one backtest over [start, end): the return of bar t is E[t] / E[t-1] - 1.
    private static double[] Returns(int fast, int slow, long start, long end)
    {
        var equity = new Backtester().Run(Close.Value, new MovingAverageCrossoverRule(fast, slow)).Equity;
        return [.. Enumerable.Range((int)Math.Max(1, start), (int)(end - Math.Max(1, start))).Select(t => (equity[t] / equity[t - 1]) - 1)];
    }

    internal static Client.TrialOutcome Evaluate(TrialInfo trial, StageEvaluation mode)
    {
        var result = Backtest(trial);
        if (mode == StageEvaluation.Attribution)
        {
            return TrialOutcome.FromBacktest(result);
        }

        // Segment mode, as a client's create_regime_data_handler would: only the regime's bar returns, chained.
        var equity = new List<double> { 1.0 };
        foreach (var s in trial.DataContext.Segments)
        {
            for (long t = Math.Max(1, s.StartBar); t < s.EndBar; t++)
            {
                equity.Add(equity[^1] * (result.Equity[t] / result.Equity[t - 1]));
            }
        }

        return TrialOutcome.FromBacktest(equity, []);
    }

    internal static BacktestResult Backtest(TrialInfo trial) =>
        new Backtester().Run(Close.Value, new MovingAverageCrossoverRule(trial["ma.fast"].AsInt32(), trial["ma.slow"].AsInt32()));

    internal static double SampleSharpe(double[] r)
    {
        double mean = r.Average();
        double sd = Math.Sqrt(r.Sum(x => (x - mean) * (x - mean)) / (r.Length - 1));
        return mean / sd * Math.Sqrt(252);
    }

    // A simple trend detector: bull when the close is above its 200-day mean, else bear; October 1987 is its own
    // (too short) crash regime, so the study must skip it.
    internal static (int[] Labels, string[] Names) TrendRegimes(double[] close)
    {
        var labels = new int[close.Length];
        double sum = 0;
        for (int t = 0; t < close.Length; t++)
        {
            sum += close[t];
            if (t >= 200)
            {
                sum -= close[t - 200];
            }

            labels[t] = t >= 199 && close[t] > sum / 200 ? 0 : 1;
        }

        for (int t = 5480; t < 5500; t++)
        {
            labels[t] = 2;
        }

        return (labels, ["bull", "bear", "crash"]);
    }

    private static async Task RunAsync(OptimizerClient client, string studyId)
    {
        var worker = new OptimizerWorker(client, [studyId], (trial, _) =>
        {
            var score = Sweep.Value.Evaluate(trial["entry.fast"].AsInt32(), trial["exit.slow"].AsInt32());
            return Task.FromResult(TrialOutcome.FromValues(("sharpe_ratio", score.SharpeRatio)));
        }, new WorkerOptions { Capacity = 4 });
        await worker.RunAsync().WaitAsync(Limit);
    }
}

/// <summary>Finds samples/data above the test's directory.</summary>
internal static class TestData
{
    public static string Path(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = System.IO.Path.Combine(dir.FullName, "samples", "data", file);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("samples/data not found above the test directory", file);
    }
}
