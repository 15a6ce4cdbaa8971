using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Server.Engine;

namespace OptimizerGrpc.Server.Tests.Api.Limits;

/// <summary>
/// A restart reads only an index of the stored studies; each is restored when first used, so memory at start does
/// not grow with finished studies. Listing still shows every study with its stored state and counts.
/// </summary>
public sealed class LazyRestoreTests
{
    [Fact]
    public async Task Restart_RestoresNoStudy_ListingShowsEveryStateAndCount_FirstUseRestores()
    {
        await using var host = await TestServerHost.StartAsync();
        var client = host.Client;
        await client.CreateAsync("done", Specs.Grid(2));
        foreach (var trial in await client.AskAsync("done", 2))
        {
            await client.TellAsync(trial, Specs.Value(trial.Number));
        }

        await client.CreateAsync("stopped", Specs.Random(10));
        await client.TellAsync((await client.AskAsync("stopped", 2))[0], Specs.Value(1));
        await client.StopStudyAsync(new StopStudyRequest { StudyId = "stopped" });
        await client.CreateAsync("leased", Specs.Random(10));
        var leased = await client.AskAsync("leased", 1);
        var before = (await client.ListStudiesAsync(new ListStudiesRequest())).Studies.ToDictionary(s => s.StudyId);

        await host.RestartAsync();
        var registry = host.Services.GetRequiredService<StudyRegistry>();
        var loadedAtStart = registry.Loaded.Count();
        var listed = (await host.Client.ListStudiesAsync(new ListStudiesRequest())).Studies.ToDictionary(s => s.StudyId);
        var completed = await host.Client.ListStudiesAsync(new ListStudiesRequest { States = { StudyState.Completed } });
        using var http = host.Http();
        using var dashboard = JsonDocument.Parse(await http.GetStringAsync("/api/studies"));
        var loadedAfterListing = registry.Loaded.Count();
        var again = await host.Client.AskAsync("leased", 1);

        Assert.Equal(0, loadedAtStart);
        Assert.Equal(0, loadedAfterListing);
        Assert.Equal((StudyState.Completed, StudyState.Stopped), (listed["done"].State, listed["stopped"].State));
        Assert.Equal(before["done"].Counts, listed["done"].Counts);
        Assert.Equal(before["stopped"].Counts, listed["stopped"].Counts);
        Assert.Equal(before["done"].BestTrial, listed["done"].BestTrial);
        Assert.Equal("done", Assert.Single(completed.Studies).StudyId);
        Assert.Equal(3, dashboard.RootElement.GetProperty("studies").GetArrayLength());
        // First use restores the study: its leased trial went back to the queue with attempt 2.
        Assert.Equal((leased[0].Number, 2), (again[0].Number, again[0].Attempt));
        Assert.Equal("leased", Assert.Single(registry.Loaded).StudyId);
    }
}
