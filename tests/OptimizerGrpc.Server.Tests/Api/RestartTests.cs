using Microsoft.Extensions.DependencyInjection;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Server.Storage.Sqlite;

namespace OptimizerGrpc.Server.Tests.Api;

public sealed class RestartTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task LeaseOnlyCommits_SkipTheFsyncUnlessStrict_AndHandOutsAreStoredEitherWay(bool relax)
    {
        await using var host = await TestServerHost.StartAsync(o => o.RelaxLeaseCommits = relax);
        await host.Client.CreateAsync("d", Specs.Grid(6));
        var writer = host.Services.GetRequiredService<SqliteStudyStore>().Writer;

        // The first hand-out also reserves a block of trial numbers, which is always fully durable; the second is lease-only.
        var leased = await host.Client.AskAsync("d", 1);
        Assert.Equal(0, writer.RelaxedTransactionCount);
        leased.AddRange(await host.Client.AskAsync("d", 1));
        long relaxedAfterAsk = writer.RelaxedTransactionCount;
        await host.Client.TellAsync(leased[0], Specs.Value(1));

        Assert.Equal(relax ? 1 : 0, relaxedAfterAsk);
        Assert.Equal(relaxedAfterAsk, writer.RelaxedTransactionCount); // a result is never relaxed
        await host.RestartAsync();
        var stored = (await host.Client.ListTrialsAsync(new ListTrialsRequest { StudyId = "d" })).Trials;
        Assert.Equal([(TrialState.Completed, 1), (TrialState.Pending, 2)], stored.OrderBy(t => t.Number).Select(t => (t.State, t.Attempt)));
    }

    [Fact]
    public async Task Restart_WithLeasedTrials_StudyRestoredLeasesRequeuedAndNothingCountedTwice()
    {
        await using var host = await TestServerHost.StartAsync();
        await host.Client.CreateAsync("r", Specs.Grid(6));
        var leased = await host.Client.AskAsync("r", 3);
        await host.Client.TellAsync(leased[0], Specs.Value(10));
        var before = await host.Client.GetAsync("r");
        Assert.Equal(new TrialCounts { Running = 2, Completed = 1 }, before.Counts);

        await host.RestartAsync();

        var after = await host.Client.GetAsync("r");
        Assert.Equal(StudyState.Running, after.State);
        Assert.Equal(before.Spec, after.Spec);
        Assert.Equal(new TrialCounts { Pending = 2, Completed = 1 }, after.Counts);
        Assert.Equal(leased[0].Number, after.BestTrial.Number);
        var stored = (await host.Client.ListTrialsAsync(new ListTrialsRequest { StudyId = "r" })).Trials;
        Assert.Equal(TrialState.Completed, stored.Single(t => t.Number == leased[0].Number).State);
        Assert.All(stored.Where(t => t.Number != leased[0].Number), t => Assert.Equal((TrialState.Pending, 2), (t.State, t.Attempt)));

        var requeued = await host.Client.AskAsync("r", 2, "w2");
        // Requeued trials come first; the contract does not order them among themselves.
        Assert.Equal(leased.Skip(1).Select(t => t.Number).Order(), requeued.Select(t => t.Number).Order());
        Assert.All(requeued, t => Assert.Equal(2, t.Attempt));
        Assert.Equal(TellStatus.Expired, (await host.Client.TellAsync(leased[1], Specs.Value(99), attempt: 1)).Status);
        Assert.Equal(TellStatus.Duplicate, (await host.Client.TellAsync(leased[0], Specs.Value(10))).Status);

        var rest = requeued.Concat(await host.Client.AskAsync("r", 10, "w2")).ToList();
        foreach (var t in rest)
        {
            Assert.Equal(TellStatus.Accepted, (await host.Client.TellAsync(t, Specs.Value(t.Number), worker: "w2")).Status);
        }

        var final = await host.Client.GetAsync("r");
        Assert.Equal(StudyState.Completed, final.State);
        Assert.Equal(new TrialCounts { Completed = 6 }, final.Counts);
        Assert.Equal(5, rest.Count);
        Assert.Equal(6, rest.Select(t => t.Number).Append(leased[0].Number).Distinct().Count());
        Assert.Equal(leased[0].Number, final.BestTrial.Number);
    }

    [Fact]
    public async Task Restart_CompletedStudy_StaysCompletedWithSameBest()
    {
        await using var host = await TestServerHost.StartAsync();
        await host.Client.CreateAsync("done", Specs.ConstrainedGrid());
        foreach (var t in await host.Client.AskAsync("done", 10))
        {
            await host.Client.TellAsync(t, Specs.Value(t.Number));
        }

        var before = await host.Client.GetAsync("done");
        await host.RestartAsync();
        var after = await host.Client.GetAsync("done");

        Assert.Equal(StudyState.Completed, after.State);
        Assert.Equal(before.Counts, after.Counts);
        Assert.Equal(before.BestTrial, after.BestTrial);
        Assert.Equal(before.LastSequence, after.LastSequence);
        Assert.Empty(await host.Client.AskAsync("done", 1));
    }
}
