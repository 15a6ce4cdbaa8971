using OptimizerGrpc.Client;
using OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Server.Tests.Api;

/// <summary>
/// The cross-regime matrix of AnalyzeStudy against an independent computation: a regime study on the NYSE composite
/// (bull, bear and a too-short crash regime), each regime's winner scored on every regime's bars.
/// </summary>
public sealed class RegimeAnalysisTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task AnalyzeStudy_AttributionRegimes_MatrixScoresEachWinnerOnEveryRegimesBars()
    {
        var (labels, names) = SequenceTests.TrendRegimes(SequenceTests.Close.Value);
        await using var host = await TestServerHost.StartAsync();
        var client = new OptimizerClient(host.Channel);
        var study = await RunAsync(client, labels, names, StageEvaluation.Attribution);

        var matrix = (await host.Client.AnalyzeStudyAsync(new AnalyzeStudyRequest { StudyId = study })).Analysis.Regimes;

        Assert.Equal(["bull", "bear", "crash"], matrix.Regimes);
        Assert.Equal("", matrix.Unavailable);
        long labelled = labels.Count(l => l >= 0);
        for (int r = 0; r < 3; r++)
        {
            Assert.Equal(labels.Count(l => l == r) / (double)labelled, matrix.BarShares[r], 12);
        }

        var result = await client.GetStudyResultAsync(study);
        var trials = await client.ListTrialsAsync(study).ToListAsync();
        for (int i = 0; i < 2; i++)
        {
            var winner = trials.Single(t => t.Number == result.Raw.RegimeResults[i].TargetResults[0].TrialNumber);
            var equity = SequenceTests.Backtest(winner).Equity;
            for (int j = 0; j < 3; j++)
            {
                // Independently: the per-period Sharpe ratio of the winner's returns on the bars labelled j.
                double[] returns = [.. Enumerable.Range(1, equity.Length - 1).Where(t => labels[t] == j).Select(t => (equity[t] / equity[t - 1]) - 1)];
                Assert.Equal(SequenceTests.SampleSharpe(returns) / Math.Sqrt(252), matrix.SharpeRatios[(i * 3) + j], 9);
            }
        }

        // The crash regime was skipped: it has no winner, so its row is empty.
        Assert.All(matrix.SharpeRatios.Skip(6), v => Assert.True(double.IsNaN(v)));
    }

    [Fact]
    public async Task AnalyzeStudy_SegmentRegimes_CrossValidationStagesScoreEachWinnerOnTheOtherRegimesSegments()
    {
        var (labels, names) = SequenceTests.TrendRegimes(SequenceTests.Close.Value);
        await using var host = await TestServerHost.StartAsync();
        var client = new OptimizerClient(host.Channel);
        var study = await RunAsync(client, labels, names, StageEvaluation.Segment);

        var matrix = (await host.Client.AnalyzeStudyAsync(new AnalyzeStudyRequest { StudyId = study })).Analysis.Regimes;

        Assert.Equal("", matrix.Unavailable);
        var info = await client.GetStudyAsync(study);
        // 3 regimes + 6 ordered pairs; the pairs involving the skipped crash regime are skipped.
        Assert.Equal(9, info.Stages.Count);
        Assert.Equal(["bull", "bull", "bear", "bear", "crash", "crash"], info.Stages.Skip(3).Select(s => s.WinnerOfRegime));
        Assert.Equal(
            [Client.StageState.Completed, Client.StageState.Skipped, Client.StageState.Completed, Client.StageState.Skipped, Client.StageState.Skipped, Client.StageState.Skipped],
            info.Stages.Skip(3).Select(s => s.State));

        var result = await client.GetStudyResultAsync(study);
        Assert.Equal(3, result.Raw.RegimeResults.Count); // the validation stages decide no regime
        // ... and are never the study's best: that is one regime's own winner.
        Assert.Contains(info.BestTrial!.StageId, info.Stages.Take(3).Select(s => s.StageId));
        var trials = await client.ListTrialsAsync(study).ToListAsync();
        for (int i = 0; i < 2; i++)
        {
            var winner = trials.Single(t => t.Number == result.Raw.RegimeResults[i].TargetResults[0].TrialNumber);
            var equity = SequenceTests.Backtest(winner).Equity;
            for (int j = 0; j < 2; j++)
            {
                // Independently: the winner's returns on the bars labelled j (segment mode chains the same returns).
                double[] returns = [.. Enumerable.Range(1, equity.Length - 1).Where(t => labels[t] == j).Select(t => (equity[t] / equity[t - 1]) - 1)];
                Assert.Equal(SequenceTests.SampleSharpe(returns) / Math.Sqrt(252), matrix.SharpeRatios[(i * 3) + j], 9);
            }

            Assert.True(double.IsNaN(matrix.SharpeRatios[(i * 3) + 2])); // crash: skipped, nothing scored on it
        }

        Assert.All(matrix.SharpeRatios.Skip(6), v => Assert.True(double.IsNaN(v)));
    }

    [Fact]
    public async Task AnalyzeStudy_SegmentRegimesWithoutCrossValidation_MatrixUnavailableWithTheReason()
    {
        var (labels, names) = SequenceTests.TrendRegimes(SequenceTests.Close.Value);
        await using var host = await TestServerHost.StartAsync();
        var client = new OptimizerClient(host.Channel);
        var study = await RunAsync(client, labels, names, StageEvaluation.Segment, crossValidation: false);

        var matrix = (await host.Client.AnalyzeStudyAsync(new AnalyzeStudyRequest { StudyId = study })).Analysis.Regimes;

        Assert.Equal(3, (await client.GetStudyAsync(study)).Stages.Count);
        Assert.Empty(matrix.SharpeRatios);
        Assert.Contains("cross_regime_validation", matrix.Unavailable, StringComparison.Ordinal);
        Assert.Equal(1.0, matrix.BarShares.Sum(), 12);
    }

    private static async Task<string> RunAsync(OptimizerClient client, int[] labels, string[] names, StageEvaluation mode, bool? crossValidation = null)
    {
        var spec = new StudyBuilder("regimes")
            .Target("ma", t => t.Int("fast", 10, 40, step: 15).Int("slow", 100, 250, step: 75))
            .GridSearch()
            .Maximize("sharpe_ratio")
            .Metrics(annualizationFactor: 252)
            .Data("nyse", labels.Length, labels, names)
            .Sequence(new RegimeSpecificStages { Mode = mode, MinRegimeData = 100, CrossRegimeValidation = crossValidation });
        var study = (await client.CreateStudyAsync(spec)).Study;
        var worker = new OptimizerWorker(client, [study.StudyId], (trial, _) => Task.FromResult(SequenceTests.Evaluate(trial, mode)), new WorkerOptions { Capacity = 4 });
        await worker.RunAsync().WaitAsync(Limit);
        return study.StudyId;
    }
}
