using System.Text.Json;
using OptimizerGrpc.Client;
using OptimizerGrpc.Dashboard.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OptimizerGrpc.Dashboard.Tests;

/// <summary>The views across stages: regimes over prices with the cross-regime matrix, and walk-forward windows.</summary>
public sealed class StudyWideViewTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task RegimeStudy_SegmentModeWithCrossValidation_DrawsPricesByRegimeAndTheFullMatrix()
    {
        await using var session = await DashboardSession.StartAsync(browser, output);
        var client = session.Server.Client;
        var (labels, names) = Market.TrendRegimes();
        var spec = new StudyBuilder("regimes")
            .Target("ma", t => t.Int("fast", 10, 40, step: 15).Int("slow", 100, 250, step: 75))
            .GridSearch()
            .Maximize("sharpe_ratio")
            .Metrics(annualizationFactor: 252)
            .Data("nyse", labels.Length, labels, names)
            .Prices(Market.Close.Value)
            .Sequence(new RegimeSpecificStages { Mode = StageEvaluation.Segment, MinRegimeData = 100, CrossRegimeValidation = true });
        var study = (await client.CreateStudyAsync(spec)).Study;
        await Market.RunAsync(client, study.StudyId, Market.Segments);
        Assert.Equal(StudyState.Completed, (await client.GetStudyAsync(study.StudyId)).State);
        using var detail = JsonDocument.Parse(await session.Server.Http.GetStringAsync($"api/studies/{study.StudyId}"));
        int prices = detail.RootElement.GetProperty("data").GetProperty("prices").GetArrayLength();
        var page = session.Page;

        page.Open(session.Server.StudyPage(study.StudyId));

        // Every price the server sends (the client's 9,311, thinned by the server), drawn as one line per regime; the
        // matrix is regimes x regimes.
        Assert.Equal(prices, page.RenderedPoints("chart-regimes"));
        page.WaitFor("the cross-regime matrix", () => page.Attribute("#chart-regime-matrix", "data-points") == "4");
        Assert.Equal(2, page.Count("#regime-winners tbody tr[data-regime]"));
        // The page opens a searched stage, not a one-trial validation stage (which the study's best may belong to).
        Assert.Contains(page.Text("#stage-title"), names);
        Assert.Null(page.Attribute("#chart-walk-forward", "data-rendered")); // no windows: hidden
        page.ScrollTo(".study-wide");
        page.Screenshot("regimes");
        session.AssertNoErrors();
    }

    [Fact]
    public async Task WalkForwardStudy_DrawsEveryWindowAndTheStitchedOutOfSampleEquity()
    {
        await using var session = await DashboardSession.StartAsync(browser, output);
        var client = session.Server.Client;
        var spec = new StudyBuilder("walk-forward")
            .Target("ma", t => t.Int("fast", 10, 50, step: 20).Int("slow", 100, 200, step: 100))
            .GridSearch()
            .Maximize("sharpe_ratio")
            .Metrics(annualizationFactor: 252)
            .Data("nyse", Market.Close.Value.Length)
            .Sequence(new WalkForwardStages(InSampleBars: 2000, OutOfSampleBars: 1000)
            {
                StepBars = 1000, WindowMovement = WindowMovement.Rolling, Mode = StageEvaluation.Attribution,
            });
        var study = (await client.CreateStudyAsync(spec)).Study;
        await Market.RunAsync(client, study.StudyId, Market.Whole);
        using var analysis = JsonDocument.Parse(await session.Server.Http.GetStringAsync($"api/studies/{study.StudyId}/analysis"));
        int stitched = analysis.RootElement.GetProperty("walkForward").GetProperty("stitchedEquity").GetArrayLength();
        Assert.True(stitched > 1, "the analysis carries no stitched equity");
        var page = session.Page;

        page.Open(session.Server.StudyPage(study.StudyId));

        Assert.Equal(7, page.RenderedPoints("chart-walk-forward")); // (9,311 - 3,000) / 1,000 + 1 windows fit
        Assert.Equal(stitched, page.RenderedPoints("chart-walk-forward-equity"));
        Assert.Contains("Profitable out-of-sample windows", page.Text("#walk-forward-summary"), StringComparison.Ordinal);
        Assert.Equal("1", page.Attribute("#chart-regimes", "data-empty")); // no regimes: hidden
        Assert.StartsWith("in-sample", page.Text("#stage-title"), StringComparison.Ordinal); // not an out-of-sample stage
        page.ScrollTo(".study-wide");
        page.Screenshot("walk-forward");
        session.AssertNoErrors();
    }
}
