using OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Server.Tests.Api;

public sealed class TrialsTests
{
    [Fact]
    public async Task ListTrials_PageSizeTwoOverFiveTrials_ThreePagesInNumberOrder()
    {
        await using var host = await TestServerHost.StartAsync();
        await host.Client.CreateAsync("pages", Specs.Grid(5));
        await host.Client.AskAsync("pages", 5);

        var numbers = new List<long>();
        var sizes = new List<int>();
        string token = "";
        do
        {
            var page = await host.Client.ListTrialsAsync(new ListTrialsRequest { StudyId = "pages", PageSize = 2, PageToken = token });
            numbers.AddRange(page.Trials.Select(t => t.Number));
            sizes.Add(page.Trials.Count);
            token = page.NextPageToken;
        }
        while (token.Length > 0);

        Assert.Equal([2, 2, 1], sizes);
        Assert.Equal([0L, 1, 2, 3, 4], numbers);
    }

    [Fact]
    public async Task ListTrials_AfterLastSequence_ReturnsOnlyTrialsChangedSince()
    {
        await using var host = await TestServerHost.StartAsync();
        await host.Client.CreateAsync("delta", Specs.Grid(5));
        var trials = await host.Client.AskAsync("delta", 5);
        var full = await host.Client.ListTrialsAsync(new ListTrialsRequest { StudyId = "delta" });
        Assert.Equal(5, full.Trials.Count);

        await host.Client.TellAsync(trials[1], Specs.Value(1));
        await host.Client.TellAsync(trials[3], Specs.Value(3));
        var delta = await host.Client.ListTrialsAsync(new ListTrialsRequest { StudyId = "delta", AfterSequence = full.LastSequence });

        Assert.Equal([1L, 3], delta.Trials.Select(t => t.Number));
        Assert.All(delta.Trials, t => Assert.Equal(TrialState.Completed, t.State));
        Assert.All(delta.Trials, t => Assert.True(t.Sequence > full.LastSequence));
        Assert.True(delta.LastSequence > full.LastSequence);
        var nothing = await host.Client.ListTrialsAsync(new ListTrialsRequest { StudyId = "delta", AfterSequence = delta.LastSequence });
        Assert.Empty(nothing.Trials);
    }

    [Fact]
    public async Task ListTrials_StateFilter_KeepsOnlyThoseStates()
    {
        await using var host = await TestServerHost.StartAsync();
        await host.Client.CreateAsync("filter", Specs.Grid(4));
        var trials = await host.Client.AskAsync("filter", 4);
        await host.Client.TellAsync(trials[2], Specs.Value(1));

        var completed = await host.Client.ListTrialsAsync(new ListTrialsRequest { StudyId = "filter", States = { TrialState.Completed } });
        var running = await host.Client.ListTrialsAsync(new ListTrialsRequest { StudyId = "filter", States = { TrialState.Running } });

        Assert.Equal(2, Assert.Single(completed.Trials).Number);
        Assert.Equal([0L, 1, 3], running.Trials.Select(t => t.Number));
    }
}
