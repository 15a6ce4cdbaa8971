using OptimizerGrpc.Client;
using OptimizerGrpc.Trading;

namespace OptimizerGrpc.Optimization.Tests.Running;

public sealed class AnalysisRunTests(InProcessServer server) : IClassFixture<InProcessServer>
{
    private static readonly PriceSeries Nyse = new CsvDataHandler().Load(Repository.File("samples", "data", "nyse_composite_daily_1966_2002.csv"));

    private static OptimizationManager Manager(OptimizerClient client) => new OptimizationManager(client)
        .RegisterTarget("rules", new RuleParametersTarget([new MovingAverageCrossoverRule(10, 50)], new Dictionary<string, ParameterDomain>
        {
            ["ma_crossover.fast_window"] = ParameterDomain.Integer(10, 30, 10),
            ["ma_crossover.slow_window"] = ParameterDomain.Integer(50, 200, 50),
        }))
        .RegisterMethod("grid", new GridSearchMethod())
        .RegisterMetric("sharpe", new SharpeRatioMetric(annualizationFactor: 252))
        .RegisterSequence("single", new SingleOptimization());

    [Fact]
    public async Task RunOptimization_SmallGrid_ResultCarriesTheStudysAnalysisWithSpecNames()
    {
        await using var client = new OptimizerClient(server.Address);
        var manager = Manager(client);

        var result = await manager.RunOptimizationAsync("single", ["rules"], Nyse, options: new RunOptions { Workers = 2 });

        var stage = Assert.Single(result.Analysis!.Stages);
        Assert.Equal((12L, "sharpe_ratio", (string?)null), (stage.CompletedTrials, stage.Metric, stage.Unavailable));
        Assert.Equal(["rules.ma_crossover.fast_window", "rules.ma_crossover.slow_window"], stage.Importance.Select(i => i.Parameter).Order());
        Assert.Equal(1.0, stage.Importance.Sum(i => i.Importance), 9);
        Assert.Equal([3, 4], stage.Sensitivity.OrderBy(s => s.Parameter, StringComparer.Ordinal).Select(s => s.Cells.Count));

        // The analysis's best is the run's winner, with the same parameters under the same names.
        var winner = result.TargetResults["rules"];
        var best = stage.Robustness!.Best!;
        Assert.Equal(winner.TrialNumber, best.TrialNumber);
        Assert.Equal(winner.BestScore, best.Score, 12);
        Assert.Equal(winner.BestParams["ma_crossover.slow_window"], best.Params["rules.ma_crossover.slow_window"].AsDouble());

        var statistics = stage.Overfitting!.Winner!;
        Assert.InRange(statistics.ProbabilisticSharpeRatio, 0.0, 1.0);
        Assert.InRange(statistics.DeflatedSharpeRatio, 0.0, statistics.ProbabilisticSharpeRatio);
        Assert.Equal((12L, Nyse.Close.Length - 1L), (statistics.Trials, statistics.Periods));
        Assert.Equal(winner.BestScore, statistics.AnnualizedSharpeRatio, 6);
        var pbo = stage.Overfitting.Pbo!;
        Assert.Equal((16, 12_870L), (pbo.Blocks, pbo.Combinations));
        Assert.InRange(pbo.Probability, 0.0, 1.0);
        Assert.Empty(stage.Overfitting.Unavailable);
        Assert.Null(result.Analysis.Regimes);
        Assert.Null(result.Analysis.WalkForward);

        // Analysed again later, the study gives the same analysis under the same names.
        var again = Assert.Single((await manager.AnalyzeStudyAsync(result.StudyId)).Stages);
        Assert.Equal(stage.Importance, again.Importance);
        Assert.Equal(stage.Robustness.RobustPick!.Params, again.Robustness!.RobustPick!.Params);

        var verdict = AnalysisVerdict.Format(stage);
        Assert.StartsWith("importance  rules.ma_crossover.", verdict[0], StringComparison.Ordinal);
        Assert.Contains(verdict, line => line.StartsWith("PBO         ", StringComparison.Ordinal) && line.Contains("12,870 combinations", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunOptimization_AnalysisSettings_ReachTheServer()
    {
        await using var client = new OptimizerClient(server.Address);

        var result = await Manager(client).RunOptimizationAsync("single", ["rules"], Nyse,
            options: new RunOptions { Workers = 2, AnalysisSettings = new AnalysisSettings { PboBlocks = 4, RobustTop = 3 } });

        var stage = Assert.Single(result.Analysis!.Stages);
        Assert.Equal(6, stage.Overfitting!.Pbo!.Combinations); // C(4, 2)
        Assert.Equal(3, stage.Robustness!.Top.Count);
    }

    [Fact]
    public async Task RunOptimization_AnalysisSkipped_HasNone()
    {
        await using var client = new OptimizerClient(server.Address);

        var result = await Manager(client).RunOptimizationAsync("single", ["rules"], Nyse, options: new RunOptions { Workers = 2, IncludeAnalysis = false });

        Assert.Equal(StudyState.Completed, result.State);
        Assert.Null(result.Analysis);
    }

    [Fact]
    public async Task RunOptimization_AnalysisSettingOutOfRange_ThrowsBeforeTheStudyIsCreated()
    {
        await using var client = new OptimizerClient(server.Address);
        var manager = Manager(client);
        var started = false;
        manager.OptimizationStarted += (_, _) => started = true;

        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => manager.RunOptimizationAsync("single", ["rules"], Nyse,
            options: new RunOptions { AnalysisSettings = new AnalysisSettings { PboBlocks = 3 } }));

        Assert.Equal("PboBlocks", ex.ParamName);
        Assert.False(started);
    }
}
