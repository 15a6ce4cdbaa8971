using Grpc.Core;
using OptimizerGrpc.Client;
using OptimizerGrpc.Optimization;
using OptimizerGrpc.Trading;

namespace OptimizerGrpc.Server.Tests.Api;

/// <summary>
/// Server-computed metrics from backtest records, the three constraint kinds, custom metrics, several objectives,
/// and re-ranking, end to end from the C# client (OptimizerWorker backtesting the NYSE series) to the server.
/// </summary>
public sealed class MetricsAndConstraintsTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);
    private static readonly Lazy<PriceSeries> Nyse = new(() => new CsvDataHandler().Load(SampleData("nyse_composite_daily_1966_2002.csv")));

    private static StudyBuilder MaGrid() => new StudyBuilder("ma")
        .Target("ma", t => t.Int("fast", 10, 50, step: 20).Int("slow", 100, 250, step: 50))
        .GridSearch()
        .Metrics(annualizationFactor: 252, extraMetrics: ["total_return", "max_drawdown", "trades", "win_rate"]);

    [Fact]
    public async Task BacktestRecord_ServerComputesMetrics_EqualToTheToolkitsOwnNumbers()
    {
        await using var host = await TestServerHost.StartAsync();
        var client = new OptimizerClient(host.Channel);
        var study = (await client.CreateStudyAsync(MaGrid().Maximize("sharpe_ratio"))).Study;

        await RunWorkerAsync(client, study.StudyId);

        var trials = await client.ListTrialsAsync(study.StudyId).ToListAsync();
        Assert.Equal(12, trials.Count);
        foreach (var trial in trials)
        {
            Assert.Equal(TrialState.Completed, trial.State);
            var local = Backtest(trial);
            Assert.Equal(PerformanceStats.SharpeRatio(local.Equity), trial.Values["sharpe_ratio"], 9);
            Assert.Equal(PerformanceStats.TotalReturn(local.Equity), trial.Values["total_return"], 9);
            Assert.Equal(PerformanceStats.MaxDrawdown(local.Equity), trial.Values["max_drawdown"], 9);
            Assert.Equal(local.Trades.Count, trial.Values["trades"]);
        }

        var best = trials.MaxBy(t => t.Values["sharpe_ratio"])!;
        var result = await client.GetStudyResultAsync(study.StudyId);
        Assert.Equal(best.Number, result.BestTrial!.Number);
    }

    [Fact]
    public async Task AllThreeConstraintKindsAndACustomMetric_InfeasibleTrialsNameTheFailingClause()
    {
        await using var host = await TestServerHost.StartAsync();
        var client = new OptimizerClient(host.Channel);
        var spec = MaGrid()
            .CustomMetric("robust", "sharpe_ratio - 0.5 * max_drawdown")
            .Maximize("robust")
            .ParameterBounds("ma.slow", max: 200)
            .Relationship("ma.fast * 4 <= ma.slow", name: "spread")
            .Performance("max_drawdown <= 0.9 and trades >= 60", name: "enough_trades");
        var study = (await client.CreateStudyAsync(spec)).Study;

        await RunWorkerAsync(client, study.StudyId);

        var trials = await client.ListTrialsAsync(study.StudyId).ToListAsync();
        // Bounds drop slow 250; of fast {10, 30, 50} x slow {100, 150, 200}, fast * 4 <= slow keeps 3 + 2 + 1.
        Assert.All(trials, t => Assert.True(t["ma.slow"].AsInt64() <= 200 && t["ma.fast"].AsInt64() * 4 <= t["ma.slow"].AsInt64()));
        Assert.Equal(6, trials.Count);
        foreach (var trial in trials)
        {
            Assert.Equal(trial.Values["sharpe_ratio"] - (0.5 * trial.Values["max_drawdown"]), trial.Values["robust"], 12);
            bool feasible = trial.Values["trades"] >= 60;
            Assert.Equal(feasible ? TrialState.Completed : TrialState.Infeasible, trial.State);
            if (!feasible)
            {
                Assert.StartsWith("constraint 'enough_trades' failed: trades >= 60 (trades = ", trial.Reason, StringComparison.Ordinal);
            }
        }

        var result = await client.GetStudyResultAsync(study.StudyId);
        var feasibleTrials = trials.Where(t => t.State == TrialState.Completed).ToList();
        Assert.NotEmpty(feasibleTrials);
        Assert.Contains(trials, t => t.State == TrialState.Infeasible);
        Assert.Equal(feasibleTrials.MaxBy(t => t.Values["robust"])!.Number, result.BestTrial!.Number);
    }

    [Fact]
    public async Task TwoObjectivesWithWeights_BestMaximisesTheWeightedSumAndRerankPicksAnotherWinner()
    {
        await using var host = await TestServerHost.StartAsync();
        var client = new OptimizerClient(host.Channel);
        var study = (await client.CreateStudyAsync(MaGrid().Maximize("sharpe_ratio", weight: 1).Minimize("max_drawdown", weight: 2))).Study;

        await RunWorkerAsync(client, study.StudyId);

        var trials = await client.ListTrialsAsync(study.StudyId).ToListAsync();
        var expected = trials.MaxBy(t => t.Values["sharpe_ratio"] - (2 * t.Values["max_drawdown"]))!;
        var result = await client.GetStudyResultAsync(study.StudyId);
        Assert.Equal(expected.Number, result.BestTrial!.Number);
        Assert.Equal([expected.Values["sharpe_ratio"], expected.Values["max_drawdown"]], result.BestTrial.ObjectiveValues);

        // After the fact: rank by total return among trials with at least 60 trades.
        var raw = await client.Raw.GetStudyResultAsync(new Contracts.V1.GetStudyResultRequest
        {
            StudyId = study.StudyId,
            RerankObjectives = { new Contracts.V1.Objective { Metric = "total_return", Direction = Contracts.V1.Direction.Maximize } },
            RefilterExpression = "trades >= 60",
        });
        var reranked = trials.Where(t => t.Values["trades"] >= 60).MaxBy(t => t.Values["total_return"])!;
        Assert.Equal(reranked.Number, raw.Result.BestTrial.Number);
        Assert.Equal("total_return", raw.Result.TargetResults[0].Metric);
        Assert.Equal(reranked.Values["total_return"], raw.Result.TargetResults[0].BestScore);
        Assert.Equal(expected.Number, (await client.GetStudyResultAsync(study.StudyId)).BestTrial!.Number);
    }

    [Fact]
    public async Task TwoObjectivesWithNsga2_ResultHasTheParetoFrontOfCompletedTrialsAndItsHypervolume()
    {
        await using var host = await TestServerHost.StartAsync();
        var client = new OptimizerClient(host.Channel);
        var spec = new StudyBuilder("pareto")
            .Target("ma", t => t.Int("fast", 5, 60, step: 5).Int("slow", 70, 300, step: 10))
            .Nsga2(populationSize: 8, generations: 3)
            .Seed(11)
            .Metrics(annualizationFactor: 252)
            .Maximize("sharpe_ratio")
            .Minimize("max_drawdown");
        var study = (await client.CreateStudyAsync(spec)).Study;

        await RunWorkerAsync(client, study.StudyId);

        var trials = (await client.ListTrialsAsync(study.StudyId).ToListAsync()).Where(t => t.State == TrialState.Completed).ToList();
        // 8 x 3 proposals; a child that repeats an evaluated assignment reuses its result instead of a new trial.
        Assert.InRange(trials.Count, 16, 24);
        // Independently: a trial is on the front when no other is at least as good on both and better on one.
        var expected = trials.Where(a => !trials.Any(b =>
                b.Values["sharpe_ratio"] >= a.Values["sharpe_ratio"] && b.Values["max_drawdown"] <= a.Values["max_drawdown"]
                && (b.Values["sharpe_ratio"] > a.Values["sharpe_ratio"] || b.Values["max_drawdown"] < a.Values["max_drawdown"])))
            .Select(t => t.Number).Order().ToList();
        var result = await client.GetStudyResultAsync(study.StudyId);
        var front = Assert.Single(result.Raw.ParetoFronts);
        Assert.Equal(expected, front.Trials.Select(t => t.Number).Order().ToList());
        Assert.True(front.Hypervolume > 0);
    }

    [Fact]
    public async Task InvalidRecord_TrialFailedWithTheFieldAndIndex()
    {
        await using var host = await TestServerHost.StartAsync();
        var client = new OptimizerClient(host.Channel);
        var study = (await client.CreateStudyAsync(MaGrid().Maximize("sharpe_ratio"))).Study;
        var worker = new OptimizerWorker(client, [study.StudyId], (_, _) =>
            Task.FromResult(TrialOutcome.FromBacktest([1.0, 1.1, -3.0, 1.2], [])), new WorkerOptions { Capacity = 4 });

        await worker.RunAsync().WaitAsync(Limit);

        var trials = await client.ListTrialsAsync(study.StudyId).ToListAsync();
        Assert.All(trials, t =>
        {
            Assert.Equal(TrialState.Failed, t.State);
            Assert.Contains("record.equity[2] is -3", t.Reason, StringComparison.Ordinal);
        });
        Assert.Null((await client.GetStudyAsync(study.StudyId)).BestTrial);
    }

    [Theory]
    [InlineData("ma.fast > ma.slow", null, "spec.constraints")]
    [InlineData(null, "trades >= ", "spec.constraints[0].performance.expression")]
    public async Task CreateStudy_NoFeasiblePointOrBadPerformanceExpression_InvalidArgumentNamingTheField(string? relationship, string? performance, string field)
    {
        await using var host = await TestServerHost.StartAsync();
        var client = new OptimizerClient(host.Channel);
        var spec = MaGrid().Maximize("sharpe_ratio");
        spec = relationship is not null ? spec.Relationship(relationship) : spec.Performance(performance!);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.CreateStudyAsync(spec));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(field, Assert.Single(ex.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>()!.FieldViolations).Field);
        Assert.Empty(await client.ListStudiesAsync().ToListAsync());
    }

    private static async Task RunWorkerAsync(OptimizerClient client, string studyId)
    {
        var worker = new OptimizerWorker(client, [studyId], (trial, _) => Task.FromResult(TrialOutcome.FromBacktest(Backtest(trial))),
            new WorkerOptions { Capacity = 4 });
        await worker.RunAsync().WaitAsync(Limit);
    }

    private static BacktestResult Backtest(TrialInfo trial) =>
        new Backtester().Run(Nyse.Value.Close, new MovingAverageCrossoverRule(trial["ma.fast"].AsInt32(), trial["ma.slow"].AsInt32()));

    internal static string SampleData(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "samples", "data", file);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("samples/data not found above the test directory", file);
    }
}
