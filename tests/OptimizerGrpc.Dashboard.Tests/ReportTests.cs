using System.Text.RegularExpressions;
using OptimizerGrpc.Dashboard.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OptimizerGrpc.Dashboard.Tests;

/// <summary>The self-contained report: saved to a file, it opens offline and shows what the live page shows.</summary>
public sealed partial class ReportTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Report_OpenedFromAFile_DrawsTheSameHistoryAndLoadsNothingFromTheNetwork()
    {
        await using var session = await DashboardSession.StartAsync(browser, output);
        var client = session.Server.Client;
        var study = (await client.CreateStudyAsync(Market.MaGrid("report"))).Study;
        await Market.RunAsync(client, study.StudyId, Market.Whole);
        var page = session.Page;
        page.Open(session.Server.StudyPage(study.StudyId));
        int live = page.RenderedPoints("chart-history");
        Assert.Equal(36, live);

        using var response = await session.Server.Http.GetAsync($"api/studies/{study.StudyId}/report");
        response.EnsureSuccessStatusCode();
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        string html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotMatch(RemoteSource(), html);
        string file = Path.Combine(Directory.CreateTempSubdirectory("optimizer-report-").FullName, "report.html");
        await File.WriteAllTextAsync(file, html);

        page.Open(new Uri(file));

        Assert.Equal(live, page.RenderedPoints("chart-history"));
        page.WaitFor("the analysis views", () => page.Attribute("#chart-importance", "data-rendered") == "1");
        page.WaitFor("the report's rows", () => page.Count("#trial-table tbody tr[data-number]") > 0);
        Assert.Equal("report", page.Text("#live-indicator"));
        var fetched = page.Script<IReadOnlyCollection<object>>("return performance.getEntriesByType('resource').map(e => e.name);");
        Assert.DoesNotContain(fetched, name => ((string)name).StartsWith("http", StringComparison.Ordinal));
        page.Screenshot("report");
        session.AssertNoErrors();
        Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
    }

    /// <summary>A script, stylesheet, image or frame loaded from elsewhere: http(s):// or protocol-relative //.</summary>
    [GeneratedRegex("""<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=\s*["']?\s*(https?:)?//""", RegexOptions.IgnoreCase)]
    private static partial Regex RemoteSource();
}
