using System.Text.Json;
using OptimizerGrpc.Client;
using OptimizerGrpc.Optimization.Tests;

namespace OptimizerGrpc.Cli.Tests.Commands.Studies;

/// <summary>pause, resume, stop, delete and watch against the real server in this process.</summary>
public sealed class ControlVerbsTests(InProcessServer server) : IClassFixture<InProcessServer>, IDisposable
{
    private readonly CliRun _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task PauseResumeStop_ChangeTheStudysState()
    {
        string id = await GridStudy.CreateAsync(server.Address, "control");

        var (code, stdout, _) = await _cli.RunAsync("pause", id, "--server", server.Address);
        Assert.Equal(0, code);
        Assert.Equal($"study {id}: paused", stdout.Trim());
        Assert.Equal(StudyState.Paused, (await GridStudy.GetAsync(server.Address, id)).State);

        (code, stdout, _) = await _cli.RunAsync("resume", id, "--json", "--server", server.Address);
        Assert.Equal(0, code);
        Assert.Equal("running", JsonDocument.Parse(stdout).RootElement.GetProperty("state").GetString());

        (code, stdout, _) = await _cli.RunAsync("stop", id, "--reason", "enough for today", "--server", server.Address);
        Assert.Equal(0, code);
        Assert.StartsWith($"study {id}: stopped", stdout, StringComparison.Ordinal);
        var study = await GridStudy.GetAsync(server.Address, id);
        Assert.Equal(StudyState.Stopped, study.State);
        Assert.Contains("enough for today", study.StateReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_WithoutYesAndNoTerminal_RefusesAndKeepsTheStudy_WithYesDeletesIt()
    {
        string id = await GridStudy.CreateAsync(server.Address, "delete-me", tell: 1);

        var (code, _, stderr) = await _cli.RunAsync("delete", id, "--server", server.Address);
        Assert.Equal(2, code); // the test host's stdin is not a terminal
        Assert.Contains($"add --yes to delete study '{id}'", stderr, StringComparison.Ordinal);
        Assert.Equal(id, (await GridStudy.GetAsync(server.Address, id)).StudyId);

        (code, var stdout, stderr) = await _cli.RunAsync("delete", id, "--yes", "--json", "--server", server.Address);
        Assert.True(code == 0, stderr);
        Assert.True(JsonDocument.Parse(stdout).RootElement.GetProperty("deleted").GetBoolean());
        (code, _, stderr) = await _cli.RunAsync("show", id, "--server", server.Address);
        Assert.Equal(2, code);
        Assert.StartsWith("optimizer: NOT_FOUND: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_ReplaysAndFollowsEventsUntilTheStudyEnds()
    {
        string id = await GridStudy.CreateAsync(server.Address, "watched", tell: 2);
        var watching = _cli.RunAsync("watch", id, "--server", server.Address);
        await Task.Delay(300);
        await using (var client = new OptimizerClient(server.Address))
        {
            for (var asked = await client.AskTrialsAsync(id, 10); asked.Trials.Count > 0; asked = await client.AskTrialsAsync(id, 10))
            {
                foreach (var trial in asked.Trials)
                {
                    await client.TellTrialAsync(trial.Ref, TrialOutcome.FromValues(("score", GridStudy.Score(trial))));
                }
            }
        }

        var (code, stdout, stderr) = await watching.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(code == 0, stderr);
        Assert.Equal(6, stdout.Split('\n').Count(l => l.Contains(" trial #", StringComparison.Ordinal) && l.Contains(" completed ", StringComparison.Ordinal)));
        Assert.Contains("new best in stage-0: trial #", stdout, StringComparison.Ordinal);
        Assert.Contains(" 35  ma.fast=3, ma.slow=5", stdout, StringComparison.Ordinal);
        Assert.Contains("-> completed", stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1], StringComparison.Ordinal);

        // --after the last event of a finished study: nothing to wait for.
        long last = (await GridStudy.GetAsync(server.Address, id)).LastSequence;
        (code, stdout, _) = await _cli.RunAsync("watch", id, "--after", last.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json", "--server", server.Address);
        Assert.Equal(0, code);
        Assert.Empty(stdout);

        (code, stdout, _) = await _cli.RunAsync("watch", id, "--json", "--server", server.Address);
        Assert.Equal(0, code);
        var events = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(6, events.Count(e => e.GetProperty("kind").GetString() == "trial_finished"));
        Assert.Equal("completed", events[^1].GetProperty("state").GetString());
    }
}
