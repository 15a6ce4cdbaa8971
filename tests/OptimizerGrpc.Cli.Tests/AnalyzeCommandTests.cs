using OptimizerGrpc.Optimization.Tests;

namespace OptimizerGrpc.Cli.Tests;

public sealed class AnalyzeCommandTests(InProcessServer server) : IClassFixture<InProcessServer>
{
    private static readonly string Nyse = CliRun.RepositoryFile("samples", "data", "nyse_composite_daily_1966_2002.csv");

    [Fact]
    public async Task Analyze_StudyOnTheServer_PrintsEachStagesAnalysisAndWritesTheJson()
    {
        using var cli = new CliRun();
        string studyId = await RunTwoStageStudyAsync(cli);
        string json = Path.Combine(cli.Folder, "analysis.json");

        var (code, stdout, stderr) = await cli.RunAsync("analyze", studyId, "--server", server.Address, "--json", json);

        Assert.True(code == 0, $"exit {code}\n{stderr}\n{stdout}");
        Assert.Contains($"study    {studyId}: Completed, 6 completed of 6 finished trials, 2 stage(s)", stdout);
        Assert.Contains("analysis stage-0 (ma_rule_params): 4 completed trials, score sharpe_ratio", stdout);
        Assert.Contains("analysis stage-1 (sizing): 2 completed trials, score sharpe_ratio", stdout);
        Assert.Contains("  importance (PED-ANOVA: share of the score's variation)", stdout);
        Assert.Contains("    ma_rule_params.ma_crossover_rule.fast_window [value]  10:", stdout);
        Assert.Contains("    best         trial ", stdout);
        Assert.Contains("    robust pick  ", stdout);
        Assert.Contains("    PSR          ", stdout);
        Assert.Contains("    PBO          ", stdout);
        Assert.Contains("over 12,870 combinations of 16 blocks", stdout);

        var written = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(json)).RootElement;
        Assert.Equal(studyId, written.GetProperty("study_id").GetString());
        var stages = written.GetProperty("analysis").GetProperty("stages").EnumerateArray().ToList();
        Assert.Equal(["stage-0", "stage-1"], stages.Select(s => s.GetProperty("stage_id").GetString()));
        Assert.Equal(1.0, stages[0].GetProperty("importance").EnumerateArray().Sum(i => i.GetProperty("importance").GetDouble()), 9);
        Assert.Equal(12_870, stages[0].GetProperty("overfitting").GetProperty("pbo").GetProperty("combinations").GetInt64());
    }

    [Fact]
    public async Task Analyze_UnknownStudy_ExitsTwoNamingIt()
    {
        using var cli = new CliRun();

        var (code, stdout, stderr) = await cli.RunAsync("analyze", "no-such-study", "--server", server.Address);

        Assert.True(code == 2, $"exit {code}\n{stderr}\n{stdout}");
        Assert.Contains($"optimizer: no study 'no-such-study' on {server.Address}", stderr);
        Assert.DoesNotContain("analysis ", stdout);
    }

    [Fact]
    public async Task Analyze_NoServerThere_ExitsThreeSayingSo()
    {
        using var cli = new CliRun();
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // a port nothing listens on

        var (code, _, stderr) = await cli.RunAsync("analyze", "s", "--server", $"127.0.0.1:{port}");

        Assert.Equal(3, code);
        Assert.Contains($"optimizer: cannot reach a server at http://127.0.0.1:{port}", stderr);
    }

    [Fact]
    public async Task Analyze_NoStudyId_IsAUsageError()
    {
        using var cli = new CliRun();

        var (code, _, stderr) = await cli.RunAsync("analyze", "--server", server.Address);

        Assert.Equal(2, code);
        Assert.Contains("optimizer: analyze needs exactly one study id", stderr);
        Assert.Contains("analyze <STUDY_ID> [--server ADDRESS] [--json FILE]", stderr);
    }

    [Fact]
    public async Task Help_ListsAnalyze()
    {
        using var cli = new CliRun();

        var (code, stdout, _) = await cli.RunAsync("--help");

        Assert.Equal(0, code);
        Assert.Contains("analyze <STUDY_ID> [--server ADDRESS] [--json FILE]", stdout);
    }

    // `optimizer run` against the server: 2 x 2 window pairs, then 2 fractions; the study id comes from its JSON.
    private async Task<string> RunTwoStageStudyAsync(CliRun cli)
    {
        var config = Path.Combine(cli.Folder, "two_stages.yaml");
        await File.WriteAllTextAsync(config, RunCommandSequenceTests.Config);
        var (code, stdout, stderr) = await cli.RunAsync("run", config, "--data", Nyse, "--output", cli.Output, "--server", server.Address, "--workers", "2");
        Assert.True(code == 0, $"exit {code}\n{stderr}\n{stdout}");
        return cli.ReadOutput().GetProperty("study_id").GetString()!;
    }
}
