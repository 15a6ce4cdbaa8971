using System.Globalization;
using System.Text.Json;
using OptimizerGrpc.Client;
using OptimizerGrpc.Optimization.Tests;

namespace OptimizerGrpc.Cli.Tests.Commands.Trials;

/// <summary><c>optimizer ask</c> and <c>tell</c> as a shell loop would use them, against the real server in this process.</summary>
public sealed class AskTellTests(InProcessServer server) : IClassFixture<InProcessServer>, IDisposable
{
    private readonly CliRun _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task AskTell_FromTheCli_CompleteASmallStudy()
    {
        string id = await GridStudy.CreateAsync(server.Address, "ask-tell");
        int rounds = 0;
        while (true)
        {
            var (code, stdout, stderr) = await _cli.RunAsync("ask", id, "--worker-id", "shell-1", "--server", server.Address);
            if (code == 1)
            {
                Assert.Contains($"optimizer: study '{id}' is completed: no more trials", stderr, StringComparison.Ordinal);
                Assert.Empty(stdout);
                break;
            }

            Assert.True(code == 0, stderr);
            var trial = JsonDocument.Parse(Assert.Single(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))).RootElement;
            Assert.Equal(id, trial.GetProperty("study_id").GetString());
            long fast = trial.GetProperty("params").GetProperty("ma.fast").GetInt64();
            long slow = trial.GetProperty("params").GetProperty("ma.slow").GetInt64();
            string number = trial.GetProperty("number").GetInt64().ToString(CultureInfo.InvariantCulture);
            string attempt = trial.GetProperty("attempt").GetInt32().ToString(CultureInfo.InvariantCulture);

            (code, stdout, stderr) = await _cli.RunAsync(
                "tell", id, number, "--attempt", attempt, "--value", $"score={(fast * 10) + slow}", "--worker-id", "shell-1", "--server", server.Address);
            Assert.True(code == 0, stderr);
            Assert.Equal($"trial #{number} (attempt {attempt}): recorded, completed", stdout.Trim());
            Assert.True(++rounds <= GridStudy.Points, "more trials than the grid has points");
        }

        Assert.Equal(GridStudy.Points, rounds);
        var study = await GridStudy.GetAsync(server.Address, id);
        Assert.Equal(StudyState.Completed, study.State);
        Assert.Equal(35, study.BestTrial!.ObjectiveValues[0]);
    }

    [Fact]
    public async Task Tell_FailedAndPruned_AndARepeatIsADuplicate()
    {
        string id = await GridStudy.CreateAsync(server.Address, "tell-outcomes");
        var (code, stdout, _) = await _cli.RunAsync("ask", id, "--count", "2", "--lease-seconds", "120", "--server", server.Address);
        Assert.Equal(0, code);
        var trials = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, trials.Count);
        string first = trials[0].GetProperty("number").GetInt64().ToString(CultureInfo.InvariantCulture);
        string second = trials[1].GetProperty("number").GetInt64().ToString(CultureInfo.InvariantCulture);

        (code, stdout, _) = await _cli.RunAsync("tell", id, first, "--attempt", "1", "--failed", "backtest crashed", "--json", "--server", server.Address);
        Assert.Equal(0, code);
        var told = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("accepted", told.GetProperty("status").GetString());
        Assert.Equal("failed", told.GetProperty("trial").GetProperty("state").GetString());

        (code, stdout, _) = await _cli.RunAsync("tell", id, second, "--attempt", "1", "--pruned", "--server", server.Address);
        Assert.Equal(0, code);
        Assert.Contains("recorded, pruned", stdout, StringComparison.Ordinal);

        (code, stdout, _) = await _cli.RunAsync("tell", id, first, "--attempt", "1", "--value", "score=1", "--server", server.Address);
        Assert.Equal(0, code);
        Assert.Contains("an outcome was already recorded; this one was ignored", stdout, StringComparison.Ordinal);

        await using var client = new OptimizerClient(server.Address);
        var failed = Assert.Single(await client.ListTrialsAsync(id, new TrialQuery(States: [TrialState.Failed])).ToListAsync());
        Assert.Contains("backtest crashed", failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tell_BadValue_IsAUsageError()
    {
        var (code, _, stderr) = await _cli.RunAsync("tell", "s", "0", "--attempt", "1", "--value", "score", "--server", server.Address);

        Assert.Equal(2, code);
        Assert.Contains("--value must be NAME=NUMBER (e.g. sharpe_ratio=1.25), got 'score'", stderr, StringComparison.Ordinal);
    }
}
