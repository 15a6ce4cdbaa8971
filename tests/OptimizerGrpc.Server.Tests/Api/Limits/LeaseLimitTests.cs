using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Server.Engine;

namespace OptimizerGrpc.Server.Tests.Api.Limits;

/// <summary>Outstanding leases are capped per study and per worker id: no client can grow the server's memory by asking without telling.</summary>
public sealed class LeaseLimitTests
{
    [Fact]
    public async Task AskTrials_BeyondStudyLeaseLimit_HandsOutWhatFitsThenResourceExhausted()
    {
        await using var host = await TestServerHost.StartAsync(o => o.MaxLeasesPerStudy = 5);
        var client = host.Client;
        await client.CreateAsync("s", Specs.Random(100));

        var first = await client.AskAsync("s", 3, worker: "w1");
        var second = await client.AskAsync("s", 3, worker: "w2");
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.AskAsync("s", 1, worker: "w3"));
        await client.TellAsync(first[0], Specs.Value(1));
        var afterTell = await client.AskAsync("s", 3, worker: "w3");

        Assert.Equal((3, 2), (first.Count, second.Count));
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains("the most allowed (5)", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Single(afterTell);
        // Nothing lost or counted twice: six distinct trials, five running, one completed.
        Assert.Equal(6, first.Concat(second).Concat(afterTell).Select(t => t.Number).Distinct().Count());
        var counts = (await client.GetAsync("s")).Counts;
        Assert.Equal((0L, 5L, 1L), (counts.Pending, counts.Running, counts.Completed));
    }

    [Fact]
    public async Task AskTrials_BeyondWorkerLeaseLimit_CountsOverAllStudies_ExpiryGivesRoomBack()
    {
        await using var host = await TestServerHost.StartAsync(o => o.MaxLeasesPerWorker = 4);
        var client = host.Client;
        await client.CreateAsync("a", Specs.Random(100));
        await client.CreateAsync("b", Specs.Random(100));

        var fromA = await client.AskAsync("a", 3, worker: "w1");
        var fromB = await client.AskAsync("b", 3, worker: "w1");
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.AskAsync("b", 1, worker: "w1"));
        var otherWorker = await client.AskAsync("b", 2, worker: "w2");
        host.Clock.Advance(TimeSpan.FromMinutes(2)); // past the default 60 s lease
        await host.SweepAsync();
        var again = await client.AskAsync("a", 10, worker: "w1");

        Assert.Equal((3, 1, 2), (fromA.Count, fromB.Count, otherWorker.Count));
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        // The expired leases went back to the queue (attempt 2) and w1 may hold 4 again.
        Assert.Equal(4, again.Count);
        Assert.Equal(fromA.Select(t => t.Number).Order(), again.Where(t => t.Attempt == 2).Select(t => t.Number).Order());
        Assert.Equal(4, host.Services.GetRequiredService<StudyRegistry>().Limits.Held("w1"));
    }

    [Fact]
    public async Task Work_WorkerLeaseLimit_AssignsNoMoreThanTheLimitWhateverTheCapacity()
    {
        await using var host = await TestServerHost.StartAsync(o => o.MaxLeasesPerWorker = 3);
        await host.Client.CreateAsync("s", Specs.Random(100));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var call = host.Client.Work(cancellationToken: cts.Token);

        await call.RequestStream.WriteAsync(new WorkRequest { Hello = new WorkerHello { WorkerId = "w1", Capacity = 10, StudyIds = { "s" } } });
        Assert.True(await call.ResponseStream.MoveNext(cts.Token)); // welcome
        Assert.True(await call.ResponseStream.MoveNext(cts.Token));
        var assigned = call.ResponseStream.Current.Assignments.Assignments;
        var ask = await Assert.ThrowsAsync<RpcException>(() => host.Client.AskAsync("s", 1, worker: "w1"));

        Assert.Equal(3, assigned.Count);
        Assert.Equal(StatusCode.ResourceExhausted, ask.StatusCode);
        Assert.Equal(3, (await host.Client.GetAsync("s")).Counts.Running);
        await call.RequestStream.CompleteAsync();
    }

    [Fact]
    public async Task AskTrials_LeaseLongerThanMax_InvalidArgument()
    {
        await using var host = await TestServerHost.StartAsync();
        await host.Client.CreateAsync("s", Specs.Random(10));

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.AskTrialsAsync(
            new AskTrialsRequest { StudyId = "s", Count = 1, LeaseDuration = Duration.FromTimeSpan(TimeSpan.FromHours(25)) }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("1.00:00:00", error.Status.Detail, StringComparison.Ordinal);
    }
}
