using Grpc.Core;
using OptimizerGrpc.Client;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Optimization;
using OptimizerGrpc.Trading;
using TrialOutcome = OptimizerGrpc.Client.TrialOutcome;

namespace OptimizerGrpc.Server.Tests.Api;

/// <summary>
/// AnalyzeStudy and GetStudyResult(include_analysis) end to end: a worker backtests moving-average crossovers on the
/// NYSE composite, the server keeps each trial's return summary and analyses the stage over the real SQLite store.
/// </summary>
public sealed class AnalysisTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private static readonly Lazy<PriceSeries> Nyse = new(() => new CsvDataHandler().Load(MetricsAndConstraintsTests.SampleData("nyse_composite_daily_1966_2002.csv")));

    private static StudyBuilder MaGrid() => new StudyBuilder("ma")
        .Target("ma", t => t.Int("fast", 10, 50, step: 20).Int("slow", 100, 250, step: 50))
        .GridSearch()
        .Metrics(annualizationFactor: 252)
        .Maximize("sharpe_ratio");

    [Fact]
    public async Task AnalyzeStudy_RecordedGrid_ReportsLandscapeAndTheWinnersOverfittingStatistics()
    {
        await using var host = await TestServerHost.StartAsync();
        var client = new OptimizerClient(host.Channel);
        var study = (await client.CreateStudyAsync(MaGrid())).Study;
        await RunWorkerAsync(client, study.StudyId);
        var best = (await client.GetStudyAsync(study.StudyId)).BestTrial!;

        var analysis = (await host.Client.AnalyzeStudyAsync(new AnalyzeStudyRequest { StudyId = study.StudyId })).Analysis;

        var stage = Assert.Single(analysis.Stages);
        Assert.Equal("stage-0", stage.StageId);
        Assert.Equal("sharpe_ratio", stage.Metric);
        Assert.Equal(12, stage.CompletedTrials);
        Assert.Equal(["ma.fast", "ma.slow"], stage.Importance.Select(i => i.Parameter).Order());
        Assert.Equal(1.0, stage.Importance.Sum(i => i.Importance), 9);
        Assert.Equal([3, 4], stage.Sensitivity.OrderBy(s => s.Parameter).Select(s => s.Cells.Count));
        Assert.Equal(best.Number, stage.Robustness.Best.TrialNumber);
        Assert.Equal(best.Values["sharpe_ratio"], stage.Robustness.Best.Score, 12);

        // The winner's statistics come from its stored return summary: the same returns the server scored.
        var winner = stage.Overfitting.Winner;
        int bars = Nyse.Value.Close.Length;
        Assert.Equal(bars - 1, winner.Periods);
        Assert.Equal(best.Values["sharpe_ratio"], winner.AnnualizedSharpeRatio, 6);
        Assert.Equal(12, winner.Trials);
        Assert.InRange(winner.ProbabilisticSharpeRatio, 0.0, 1.0);
        Assert.InRange(winner.DeflatedSharpeRatio, 0.0, winner.ProbabilisticSharpeRatio);
        Assert.True(winner.Kurtosis > 1 && double.IsFinite(winner.Skewness)); // non-excess; values checked exactly in Core's tests
        Assert.Equal(12_870, stage.Overfitting.Pbo.Combinations);
        Assert.InRange(stage.Overfitting.Pbo.Probability, 0.0, 1.0);
        Assert.Equal(12_870, stage.Overfitting.Pbo.LogitHistogram.Sum());
        Assert.Empty(stage.Overfitting.Unavailable);
    }

    [Fact]
    public async Task GetStudyResult_IncludeAnalysisWithOptions_CarriesTheAnalysis()
    {
        await using var host = await TestServerHost.StartAsync();
        var client = new OptimizerClient(host.Channel);
        var study = (await client.CreateStudyAsync(MaGrid())).Study;
        await RunWorkerAsync(client, study.StudyId);

        var result = (await host.Client.GetStudyResultAsync(new GetStudyResultRequest
        {
            StudyId = study.StudyId,
            IncludeAnalysis = true,
            AnalysisOptions = new AnalysisOptions { PboBlocks = 4, RobustTop = 3 },
        })).Result;

        var stage = Assert.Single(result.Analysis.Stages);
        Assert.Equal(6, stage.Overfitting.Pbo.Combinations); // C(4, 2)
        Assert.Equal(4, stage.Overfitting.Pbo.Blocks);
        Assert.Equal(3, stage.Robustness.Top.Count);
        Assert.Null((await host.Client.GetStudyResultAsync(new GetStudyResultRequest { StudyId = study.StudyId })).Result.Analysis);
    }

    [Fact]
    public async Task AnalyzeStudy_ValuesOnly_SaysWhichStatisticsAreUnavailableAndWhy()
    {
        await using var host = await TestServerHost.StartAsync();
        var client = new OptimizerClient(host.Channel);
        var study = (await client.CreateStudyAsync(MaGrid())).Study;
        var worker = new OptimizerWorker(client, [study.StudyId], (trial, _) =>
            Task.FromResult(TrialOutcome.FromValues(("sharpe_ratio", trial["ma.fast"].AsInt32() / 10.0))),
            new WorkerOptions { Capacity = 4 });
        await worker.RunAsync().WaitAsync(Limit);

        var stage = Assert.Single((await host.Client.AnalyzeStudyAsync(new AnalyzeStudyRequest { StudyId = study.StudyId })).Analysis.Stages);

        Assert.Equal("ma.fast", stage.Importance[0].Parameter);
        Assert.Null(stage.Overfitting.Winner);
        Assert.Null(stage.Overfitting.Pbo);
        Assert.All(stage.Overfitting.Unavailable, u => Assert.Contains("values only", u, StringComparison.Ordinal));
        Assert.Equal(2, stage.Overfitting.Unavailable.Count);
    }

    [Theory]
    [InlineData(3, null, "options.pbo_blocks")]
    [InlineData(16, 0, "options.robust_top")]
    public async Task AnalyzeStudy_OptionOutOfRange_InvalidArgumentNamingTheField(int blocks, int? robustTop, string field)
    {
        await using var host = await TestServerHost.StartAsync();
        var client = new OptimizerClient(host.Channel);
        var study = (await client.CreateStudyAsync(MaGrid())).Study;
        var options = new AnalysisOptions { PboBlocks = blocks };
        if (robustTop is { } top)
        {
            options.RobustTop = top;
        }

        var ex = await Assert.ThrowsAsync<RpcException>(() => host.Client.AnalyzeStudyAsync(new AnalyzeStudyRequest { StudyId = study.StudyId, Options = options }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(field, Assert.Single(ex.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>()!.FieldViolations).Field);
    }

    [Fact]
    public async Task AnalyzeStudy_UnknownStudy_NotFound()
    {
        await using var host = await TestServerHost.StartAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => host.Client.AnalyzeStudyAsync(new AnalyzeStudyRequest { StudyId = "nope" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    private static async Task RunWorkerAsync(OptimizerClient client, string studyId)
    {
        var worker = new OptimizerWorker(client, [studyId], (trial, _) => Task.FromResult(TrialOutcome.FromBacktest(Backtest(trial))),
            new WorkerOptions { Capacity = 4 });
        await worker.RunAsync().WaitAsync(Limit);
    }

    private static BacktestResult Backtest(TrialInfo trial) =>
        new Backtester().Run(Nyse.Value.Close, new MovingAverageCrossoverRule(trial["ma.fast"].AsInt32(), trial["ma.slow"].AsInt32()));
}
