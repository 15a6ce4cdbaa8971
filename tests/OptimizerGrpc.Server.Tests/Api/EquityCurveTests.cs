using Grpc.Core;
using OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Server.Tests.Api;

/// <summary>
/// The server keeps the records of each stage's five best trials, sampled to at most 2,000 values, through a restart,
/// and drops the ones that leave the top five.
/// </summary>
public sealed class EquityCurveTests
{
    private const int Bars = 3001; // sampled every 2nd bar: 1,501 values

    [Fact]
    public async Task ListEquityCurves_KeepsTheFiveBestRecordsSampledBestFirst_ThroughARestart()
    {
        await using var host = await TestServerHost.StartAsync();
        await host.Client.CreateAsync("eq", Specs.Random(60));
        var told = new Dictionary<long, double>(); // trial number -> the slope its record was built with
        foreach (var trial in await host.Client.AskAsync("eq", 30))
        {
            told[trial.Number] = Slope(trial);
            await host.Client.TellAsync(trial, Outcome(told[trial.Number]));
        }

        await AssertKeptAsync(host, told);
        await host.RestartAsync();
        await AssertKeptAsync(host, told);

        // Thirty more, most of them better than everything so far: the store keeps the new top five (and at most ten per stage).
        foreach (var trial in await host.Client.AskAsync("eq", 30))
        {
            told[trial.Number] = 100 + Slope(trial);
            await host.Client.TellAsync(trial, Outcome(told[trial.Number]));
        }

        await AssertKeptAsync(host, told);
        await host.RestartAsync();
        await AssertKeptAsync(host, told);
        Assert.True(await host.CountRowsAsync("trial_equity") <= 10);
    }

    [Fact]
    public async Task ListEquityCurves_BadStageOrTop_InvalidArgumentNamingTheField()
    {
        await using var host = await TestServerHost.StartAsync();
        await host.Client.CreateAsync("eq", Specs.Random(5));

        var stage = await Assert.ThrowsAsync<RpcException>(() => host.Client.ListEquityCurvesAsync(new ListEquityCurvesRequest { StudyId = "eq", StageId = "stage-9" }).ResponseAsync);
        var top = await Assert.ThrowsAsync<RpcException>(() => host.Client.ListEquityCurvesAsync(new ListEquityCurvesRequest { StudyId = "eq", Top = 6 }).ResponseAsync);
        var missing = await Assert.ThrowsAsync<RpcException>(() => host.Client.ListEquityCurvesAsync(new ListEquityCurvesRequest { StudyId = "nope" }).ResponseAsync);

        Assert.Equal((StatusCode.InvalidArgument, true), (stage.StatusCode, stage.Status.Detail.Contains("stage_id", StringComparison.Ordinal)));
        Assert.Equal((StatusCode.InvalidArgument, true), (top.StatusCode, top.Status.Detail.Contains("top", StringComparison.Ordinal)));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.Empty((await host.Client.ListEquityCurvesAsync(new ListEquityCurvesRequest { StudyId = "eq" })).Curves);
    }

    private static async Task AssertKeptAsync(TestServerHost host, Dictionary<long, double> told)
    {
        var response = await host.Client.ListEquityCurvesAsync(new ListEquityCurvesRequest { StudyId = "eq", StageId = "stage-0" });
        // Independently: the five completed trials with the highest objective (the server computed it from each record).
        var trials = (await host.Client.ListTrialsAsync(new ListTrialsRequest { StudyId = "eq" })).Trials;
        var best = trials.Where(t => t.State == TrialState.Completed)
            .Select(t => (t.Number, Score: t.Values[Specs.Metric])).OrderByDescending(t => t.Score).ThenBy(t => t.Number).Take(5).ToList();
        Assert.Equal(told.Count, trials.Count(t => t.State == TrialState.Completed));
        Assert.Equal(5, response.KeptPerStage);
        Assert.Equal(best.Select(b => b.Number), response.Curves.Select(c => c.TrialNumber));
        foreach (var (curve, (number, score)) in response.Curves.Zip(best))
        {
            Assert.Equal(score, curve.Score);
            Assert.Equal((2, Bars, 0L, "stage-0"), (curve.Stride, curve.BarCount, curve.StartBar, curve.StageId));
            var record = Equity(told[number]);
            Assert.Equal(Enumerable.Range(0, 1501).Select(i => record[i * 2]), curve.Equity);
        }

        var top2 = await host.Client.ListEquityCurvesAsync(new ListEquityCurvesRequest { StudyId = "eq", Top = 2 });
        Assert.Equal(best.Take(2).Select(b => b.Number), top2.Curves.Select(c => c.TrialNumber));
    }

    private static double Slope(Trial trial) => trial.Int("ma.fast") + (trial.Int("ma.slow") / 1000.0);

    // A record that differs per slope: a trend with a wobble, so every trial has its own Sharpe ratio.
    private static double[] Equity(double slope) =>
        [.. Enumerable.Range(0, Bars).Select(i => 1 + (slope * i / 1e6) + (0.01 * Math.Sin(i * slope / 7)))];

    private static TrialOutcome Outcome(double slope) => new() { Record = new BacktestRecord { Equity = { Equity(slope) } } };
}
