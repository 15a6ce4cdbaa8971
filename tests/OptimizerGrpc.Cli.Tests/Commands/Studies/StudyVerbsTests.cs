using System.Text.Json;
using OptimizerGrpc.Optimization.Tests;

namespace OptimizerGrpc.Cli.Tests.Commands.Studies;

/// <summary>studies, show, trials, best against the real server in this process, on a grid study with 4 of 6 trials told.</summary>
public sealed class StudyVerbsTests(InProcessServer server) : IClassFixture<InProcessServer>, IDisposable
{
    private readonly CliRun _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Studies_ListsTheStudyWithStateProgressBestAndAge()
    {
        string id = await GridStudy.CreateAsync(server.Address, "studies-table", tell: 4);

        var (code, stdout, stderr) = await _cli.RunAsync("studies", "--server", server.Address);

        Assert.True(code == 0, stderr);
        string row = Assert.Single(stdout.Split('\n'), l => l.Contains(id, StringComparison.Ordinal));
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(row, @"studies-table\s+running\s+4/6\s+\d+ \(#\d\)\s+\d+s"), row);
        Assert.Contains("ID", stdout.Split('\n')[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Studies_StateFilterAndJson()
    {
        string id = await GridStudy.CreateAsync(server.Address, "studies-json", tell: GridStudy.Points);

        var (code, stdout, _) = await _cli.RunAsync("studies", "--state", "completed", "--json", "--server", server.Address);

        Assert.Equal(0, code);
        var studies = JsonDocument.Parse(stdout).RootElement.EnumerateArray().ToList();
        Assert.All(studies, s => Assert.Equal("completed", s.GetProperty("state").GetString()));
        var study = Assert.Single(studies, s => s.GetProperty("study_id").GetString() == id);
        Assert.Equal(6, study.GetProperty("trials").GetProperty("completed").GetInt64());
        Assert.Equal(35, study.GetProperty("best_trial").GetProperty("objective_values")[0].GetDouble());

        (code, stdout, _) = await _cli.RunAsync("studies", "--state", "paused", "--server", server.Address);
        Assert.Equal(0, code);
        Assert.DoesNotContain(id, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_PrintsSpecStateCountsStagesAndBest()
    {
        string id = await GridStudy.CreateAsync(server.Address, "show-me", tell: 2);

        var (code, stdout, stderr) = await _cli.RunAsync("show", id, "--server", server.Address);

        Assert.True(code == 0, stderr);
        Assert.Contains($"study       {id}  show-me", stdout, StringComparison.Ordinal);
        Assert.Contains("targets     ma (fast, slow)", stdout, StringComparison.Ordinal);
        Assert.Contains("objectives  maximize score", stdout, StringComparison.Ordinal);
        Assert.Contains("method      grid (seed 1)", stdout, StringComparison.Ordinal);
        Assert.Contains("2/6 finished: 2 completed, 0 infeasible, 0 failed, 0 pruned", stdout, StringComparison.Ordinal);
        Assert.Matches(@"stage-0\s+\S*\s*running\s+2/6", stdout);

        (code, stdout, _) = await _cli.RunAsync("show", id, "--json", "--server", server.Address);
        Assert.Equal(0, code);
        var json = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("running", json.GetProperty("study").GetProperty("state").GetString());
        Assert.Equal(["fast", "slow"], json.GetProperty("targets").GetProperty("ma").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("maximize", json.GetProperty("objectives")[0].GetProperty("direction").GetString());
        Assert.Equal(6, json.GetProperty("stages")[0].GetProperty("planned_trials").GetInt64());
    }

    [Fact]
    public async Task Show_UnknownStudy_ExitsTwoWithTheServersStatus()
    {
        var (code, stdout, stderr) = await _cli.RunAsync("show", "no-such-study", "--server", server.Address);

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.StartsWith("optimizer: NOT_FOUND: ", stderr, StringComparison.Ordinal);
        Assert.Contains("no-such-study", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trials_TableCsvJsonStateFilterAndLimit()
    {
        string id = await GridStudy.CreateAsync(server.Address, "trials", tell: 3);

        var (code, stdout, _) = await _cli.RunAsync("trials", id, "--server", server.Address);
        Assert.Equal(0, code);
        Assert.Matches(@"\n\s*0\s+stage-0\s+completed\s+1\s+14\s+ma.fast=1, ma.slow=4", "\n" + stdout);

        (code, stdout, _) = await _cli.RunAsync("trials", id, "--format", "csv", "--server", server.Address);
        Assert.Equal(0, code);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("number,stage_id,state,attempt,ma.fast,ma.slow,score,reason", lines[0]);
        Assert.Equal("0,stage-0,completed,1,1,4,14,", lines[1]);
        Assert.Equal(4, lines.Length);

        await using (var client = new OptimizerGrpc.Client.OptimizerClient(server.Address))
        {
            await client.AskTrialsAsync(id, 1); // one running trial
        }

        (code, stdout, _) = await _cli.RunAsync("trials", id, "--state", "running", "--json", "--server", server.Address);
        Assert.Equal(0, code);
        var running = Assert.Single(JsonDocument.Parse(stdout).RootElement.EnumerateArray());
        Assert.Equal("running", running.GetProperty("state").GetString());
        Assert.Equal(3, running.GetProperty("number").GetInt64());

        (code, stdout, _) = await _cli.RunAsync("trials", id, "--limit", "2", "--format", "json", "--server", server.Address);
        Assert.Equal(0, code);
        Assert.Equal([0L, 1L], JsonDocument.Parse(stdout).RootElement.EnumerateArray().Select(t => t.GetProperty("number").GetInt64()));
    }

    [Fact]
    public async Task Best_PrintsTheBestTrialPerStageAndTargetResults()
    {
        string id = await GridStudy.CreateAsync(server.Address, "best", tell: GridStudy.Points);

        var (code, stdout, stderr) = await _cli.RunAsync("best", id, "--server", server.Address);

        Assert.True(code == 0, stderr);
        Assert.Contains($"study {id}: completed, 6 completed trials", stdout, StringComparison.Ordinal);
        Assert.Matches(@"stage-0\s+\S*\s*\d\s+35\s+ma.fast=3, ma.slow=5", stdout);
        Assert.Matches(@"ma\s+score\s+35\s+\d\s+stage-0\s+fast=3, slow=5|ma\s+score\s+35\s+\d\s+stage-0\s+ma.fast=3, ma.slow=5", stdout);

        (code, stdout, _) = await _cli.RunAsync("best", id, "--json", "--server", server.Address);
        Assert.Equal(0, code);
        var json = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(35, json.GetProperty("best_trial").GetProperty("objective_values")[0].GetDouble());
        var target = Assert.Single(json.GetProperty("target_results").EnumerateArray());
        Assert.Equal("ma", target.GetProperty("target").GetString());
        Assert.Equal(35, target.GetProperty("best_score").GetDouble());
    }
}
