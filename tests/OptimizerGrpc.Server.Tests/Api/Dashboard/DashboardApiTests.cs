using System.Net;
using System.Text.Json;
using OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Server.Tests.Api.Dashboard;

/// <summary>
/// The dashboard's HTTP API (docs/dashboard-api.md) against the real server and a real SQLite file: every answer is
/// checked against what the gRPC API says or an independent computation over the values told.
/// </summary>
public sealed class DashboardApiTests
{
    private static async Task<(TestServerHost Host, Dictionary<long, (long Fast, long Slow, double Value)> Told)> StudyAsync(int trials)
    {
        var host = await TestServerHost.StartAsync();
        await host.Client.CreateAsync("dash", Specs.Random(trials));
        var told = new Dictionary<long, (long, long, double)>();
        foreach (var trial in await host.Client.AskAsync("dash", trials))
        {
            long fast = trial.Int("ma.fast"), slow = trial.Int("ma.slow");
            double value = Math.Sin(fast / 7.0) + (slow / 100.0);
            await host.Client.TellAsync(trial, Specs.Value(value));
            told[trial.Number] = (fast, slow, value);
        }

        return (host, told);
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient http, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await http.GetAsync(path);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{path}: {response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Fact]
    public async Task StudiesAndDetail_CountsBestStagesAndParametersAsTheGrpcApiSays()
    {
        var (host, told) = await StudyAsync(20);
        await using var _ = host;
        using var http = host.Http();

        var list = await GetJsonAsync(http, "/api/studies");
        var detail = await GetJsonAsync(http, "/api/studies/dash");

        var study = Assert.Single(list.GetProperty("studies").EnumerateArray());
        var grpc = await host.Client.GetAsync("dash");
        Assert.Equal("dash", study.GetProperty("id").GetString());
        Assert.Equal("COMPLETED", study.GetProperty("state").GetString());
        Assert.Equal(20, study.GetProperty("counts").GetProperty("completed").GetInt64());
        Assert.Equal((20, 20), (study.GetProperty("finished").GetInt64(), study.GetProperty("planned").GetInt64()));
        long best = told.MaxBy(t => t.Value.Value).Key;
        Assert.Equal(best, grpc.BestTrial.Number);
        Assert.Equal(best, study.GetProperty("best").GetProperty("number").GetInt64());
        Assert.Equal(told[best].Value, study.GetProperty("best").GetProperty("score").GetDouble(), 12);
        Assert.Equal(grpc.LastSequence, study.GetProperty("lastSequence").GetInt64());
        var stage = Assert.Single(detail.GetProperty("stages").EnumerateArray());
        Assert.Equal(["ma.fast", "ma.slow"], stage.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        var fast = stage.GetProperty("parameters")[0];
        Assert.Equal(("int", 1.0, 50.0), (fast.GetProperty("kind").GetString(), fast.GetProperty("low").GetDouble(), fast.GetProperty("high").GetDouble()));
        Assert.Equal(told[best].Fast, stage.GetProperty("best").GetProperty("params").GetProperty("ma.fast").GetInt64());
        Assert.Equal("sharpe_ratio", stage.GetProperty("metric").GetString());
    }

    [Fact]
    public async Task History_DownsampledToThePointsAskedFor_KeepsEveryImprovementAndTheBest()
    {
        var (host, told) = await StudyAsync(60);
        await using var _ = host;
        using var http = host.Http();

        var all = await GetJsonAsync(http, "/api/studies/dash/history?stage=stage-0");
        var few = await GetJsonAsync(http, "/api/studies/dash/history?stage=stage-0&points=10");

        Assert.Equal(60, all.GetProperty("shown").GetInt32());
        Assert.Equal(told.OrderBy(t => t.Key).Select(t => t.Value.Value), all.GetProperty("points").EnumerateArray().Select(p => p[1].GetDouble()));
        Assert.Equal(60, few.GetProperty("completed").GetInt32());
        Assert.True(few.GetProperty("shown").GetInt32() <= 10);
        // Independently: the trials that raised the running maximum.
        var improvements = new List<long>();
        double max = double.NegativeInfinity;
        foreach (var (number, (_, _, value)) in told.OrderBy(t => t.Key))
        {
            if (value > max)
            {
                max = value;
                improvements.Add(number);
            }
        }

        var bestCurve = few.GetProperty("best").EnumerateArray().Select(p => (long)p[0].GetDouble()).ToList();
        Assert.Equal(improvements, bestCurve.Take(improvements.Count));
        Assert.All(improvements, n => Assert.Contains(few.GetProperty("points").EnumerateArray(), p => (long)p[0].GetDouble() == n));
    }

    [Fact]
    public async Task Trials_SortedFilteredAndPaged_AsAnIndependentQueryOfTheToldValues()
    {
        var (host, told) = await StudyAsync(40);
        await using var _ = host;
        using var http = host.Http();

        var page = await GetJsonAsync(http, "/api/studies/dash/trials?stage=stage-0&sort=score&desc=true&filter=ma.fast%3E%3D10,ma.slow%3C90&offset=3&limit=5");
        var byParam = await GetJsonAsync(http, "/api/studies/dash/trials?sort=param:ma.slow&limit=500");

        var expected = told.Where(t => t.Value.Fast >= 10 && t.Value.Slow < 90).OrderByDescending(t => t.Value.Value).ThenBy(t => t.Key).ToList();
        Assert.Equal(expected.Count, page.GetProperty("total").GetInt64());
        Assert.Equal(expected.Skip(3).Take(5).Select(t => t.Key), page.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("number").GetInt64()));
        var row = page.GetProperty("trials")[0];
        Assert.Equal(("COMPLETED", "w1"), (row.GetProperty("state").GetString(), row.GetProperty("worker").GetString()));
        Assert.Equal(expected[3].Value.Value, row.GetProperty("values").GetProperty("sharpe_ratio").GetDouble(), 12);
        Assert.Equal(told.OrderBy(t => t.Value.Slow).ThenBy(t => t.Key).Select(t => t.Key), byParam.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("number").GetInt64()));
    }

    [Fact]
    public async Task TrialsByScore_ReadFromTheScoreColumn_SameAsTheIndependentOrder_AndRowsStoredWithoutScoresStillAnswer()
    {
        var (host, told) = await StudyAsync(30);
        await using var _ = host;
        using var http = host.Http();
        var expected = told.OrderByDescending(t => t.Value.Value).ThenBy(t => t.Key).Select(t => t.Key).ToList();
        const string Path = "/api/studies/dash/trials?stage=stage-0&sort=score&desc=true&offset=2&limit=7";

        var page = await GetJsonAsync(http, Path);
        Assert.Equal(30, page.GetProperty("total").GetInt64());
        Assert.Equal(expected.Skip(2).Take(7), page.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("number").GetInt64()));
        Assert.Equal(30, await host.CountRowsAsync("trials", "WHERE score IS NOT NULL"));
        var byNumber = await GetJsonAsync(http, "/api/studies/dash/trials?stage=stage-0&sort=number&desc=true&offset=1&limit=4");
        Assert.Equal(told.Keys.OrderDescending().Skip(1).Take(4), byNumber.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("number").GetInt64()));

        // A store written before the score column: the history and the table decode the trials instead, same answers.
        await host.ExecuteAsync("UPDATE trials SET score = NULL WHERE number = " + expected[0]);
        await host.RestartAsync();
        using var again = host.Http();
        var legacy = await GetJsonAsync(again, Path);
        var history = await GetJsonAsync(again, "/api/studies/dash/history?stage=stage-0");
        Assert.Equal(expected.Skip(2).Take(7), legacy.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("number").GetInt64()));
        Assert.Equal(told.OrderBy(t => t.Key).Select(t => t.Value.Value), history.GetProperty("points").EnumerateArray().Select(p => p[1].GetDouble()));
    }

    [Theory]
    [InlineData("/api/studies/nope", HttpStatusCode.NotFound, "No study 'nope' on this server")]
    [InlineData("/api/studies/dash/history?stage=stage-9", HttpStatusCode.NotFound, "no stage 'stage-9'")]
    [InlineData("/api/studies/dash/trials?filter=ma.fast%3E%3Dabc", HttpStatusCode.BadRequest, "'abc' is not a number")]
    [InlineData("/api/studies/dash/trials?limit=0", HttpStatusCode.BadRequest, "limit must be an integer from 1 to 500")]
    [InlineData("/api/studies/dash/trials?sort=colour", HttpStatusCode.BadRequest, "sort must be")]
    [InlineData("/api/studies/dash/history?points=1", HttpStatusCode.BadRequest, "points must be an integer from 4 to 10000")]
    [InlineData("/api/studies/dash/equity?top=9", HttpStatusCode.BadRequest, "top must be an integer from 1 to 5")]
    [InlineData("/api/nothing-here", HttpStatusCode.NotFound, "no API path")]
    public async Task BadRequests_AnswerTheStatusWithTheReason(string path, HttpStatusCode status, string reason)
    {
        var (host, _) = await StudyAsync(4);
        await using var __ = host;
        using var http = host.Http();

        var error = await GetJsonAsync(http, path, status);

        Assert.Contains(reason, error.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(4, (await host.Client.GetAsync("dash")).Counts.Completed); // nothing changed
    }

    [Fact]
    public async Task Analysis_IsTheStudyAnalysisAsProtobufJson()
    {
        var (host, _) = await StudyAsync(30);
        await using var _ = host;
        using var http = host.Http();

        var analysis = await GetJsonAsync(http, "/api/studies/dash/analysis");
        var grpc = (await host.Client.AnalyzeStudyAsync(new AnalyzeStudyRequest { StudyId = "dash" })).Analysis;

        var stage = analysis.GetProperty("stages")[0];
        Assert.Equal("stage-0", stage.GetProperty("stageId").GetString());
        Assert.Equal(grpc.Stages[0].Importance.Select(i => i.Parameter), stage.GetProperty("importance").EnumerateArray().Select(i => i.GetProperty("parameter").GetString()));
        Assert.Equal("30", stage.GetProperty("completedTrials").GetString()); // int64 is a string in protobuf JSON
    }

    [Fact]
    public async Task Report_OneSelfContainedDocumentWithEveryStagesData()
    {
        var (host, _) = await StudyAsync(10);
        await using var _ = host;
        using var http = host.Http();

        using var response = await http.GetAsync("/api/studies/dash/report");
        string html = await response.Content.ReadAsStringAsync();
        string viaGrpc = (await host.Client.GetStudyReportAsync(new GetStudyReportRequest { StudyId = "dash" })).Html;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("attachment", response.Content.Headers.ContentDisposition?.ToString() ?? "", StringComparison.Ordinal);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("window.OPTIMIZER_REPORT = ", html, StringComparison.Ordinal);
        foreach (string key in (string[])["\"initialStudy\":\"dash\"", "\"/api/studies/dash\"", "\"/api/studies/dash/analysis\"", "\"/api/studies/dash/history?stage=stage-0\"",
            "\"/api/studies/dash/trials?stage=stage-0\\u0026sort=score\\u0026desc=true\\u0026limit=500\"", "\"/api/studies/dash/equity?stage=stage-0\\u0026top=5\""])
        {
            Assert.Contains(key, html, StringComparison.Ordinal);
        }

        // Offline: no script or stylesheet is fetched from anywhere.
        Assert.DoesNotMatch("""<script[^>]*\ssrc=""", html);
        Assert.DoesNotMatch("""<link[^>]*\shref="(?!data:)""", html);
        Assert.Contains("echarts", html, StringComparison.Ordinal);
        Assert.Equal(html.Length, viaGrpc.Length);
    }

    [Fact]
    public async Task Page_ServedFromTheServerWithAnETag()
    {
        var (host, _) = await StudyAsync(1);
        await using var _ = host;
        using var http = host.Http();

        using var page = await http.GetAsync("/");
        using var licence = await http.GetAsync("/vendor/LICENSE-echarts.txt");
        using var again = new HttpRequestMessage(HttpMethod.Get, "/");
        again.Headers.IfNoneMatch.Add(page.Headers.ETag!);
        using var cached = await http.SendAsync(again);

        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Apache License", await licence.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotModified, cached.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/no-such-file.js")).StatusCode);
    }
}
