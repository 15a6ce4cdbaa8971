using Grpc.Core;
using OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Server.Tests.Api;

public sealed class WatchTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task WatchStudy_ReplayFromZeroWithTrials_RunningFirstTrialsInOrderThenEnds()
    {
        await using var host = await TestServerHost.StartAsync();
        await host.Client.CreateAsync("w", Specs.Grid(3));
        foreach (var t in await host.Client.AskAsync("w", 3))
        {
            await host.Client.TellAsync(t, Specs.Value(t.Number));
        }

        using var cts = new CancellationTokenSource(Timeout);
        using var call = host.Client.WatchStudy(new WatchStudyRequest { StudyId = "w", IncludeTrials = true }, cancellationToken: cts.Token);
        var events = await call.ResponseStream.ReadAllAsync(cts.Token).Select(r => r.Event).ToListAsync(cts.Token);

        Assert.Equal(StudyEvent.KindOneofCase.StudyStateChanged, events[0].KindCase);
        Assert.Equal(StudyState.Running, events[0].StudyStateChanged.State);
        Assert.Equal(StudyState.Completed, events[^1].StudyStateChanged?.State);
        Assert.Equal(events.Select(e => e.Sequence).Order(), events.Select(e => e.Sequence));
        Assert.Equal(events.Count, events.Select(e => e.Sequence).Distinct().Count());
        var finished = events.Where(e => e.KindCase == StudyEvent.KindOneofCase.TrialFinished).ToList();
        Assert.Equal([0L, 1, 2], finished.Select(e => e.TrialFinished.Trial.Number));
        Assert.All(finished, e => Assert.Equal(TrialState.Completed, e.TrialFinished.Trial.State));
        Assert.Equal(2, events.Last(e => e.KindCase == StudyEvent.KindOneofCase.NewBest).NewBest.Trial.Number);
    }

    [Fact]
    public async Task WatchStudy_WithoutTrials_NoTrialFinishedEvents()
    {
        await using var host = await TestServerHost.StartAsync();
        await host.Client.CreateAsync("w", Specs.Grid(2));
        foreach (var t in await host.Client.AskAsync("w", 2))
        {
            await host.Client.TellAsync(t, Specs.Value(1));
        }

        using var cts = new CancellationTokenSource(Timeout);
        using var call = host.Client.WatchStudy(new WatchStudyRequest { StudyId = "w" }, cancellationToken: cts.Token);
        var events = await call.ResponseStream.ReadAllAsync(cts.Token).Select(r => r.Event).ToListAsync(cts.Token);

        Assert.DoesNotContain(events, e => e.KindCase == StudyEvent.KindOneofCase.TrialFinished);
        Assert.Contains(events, e => e.KindCase == StudyEvent.KindOneofCase.NewBest);
        Assert.Equal(StudyState.Completed, events[^1].StudyStateChanged?.State);
    }

    [Fact]
    public async Task WatchStudy_StartedMidStudy_ReceivesLaterEventsLiveAndEndsOnCompletion()
    {
        await using var host = await TestServerHost.StartAsync();
        await host.Client.CreateAsync("live", Specs.Grid(3));
        var trials = await host.Client.AskAsync("live", 3);
        await host.Client.TellAsync(trials[0], Specs.Value(5));
        long seen = (await host.Client.GetAsync("live")).LastSequence;

        using var cts = new CancellationTokenSource(Timeout);
        using var call = host.Client.WatchStudy(new WatchStudyRequest { StudyId = "live", AfterSequence = seen, IncludeTrials = true }, cancellationToken: cts.Token);
        var stream = call.ResponseStream;

        await host.Client.TellAsync(trials[1], Specs.Value(1));
        Assert.True(await stream.MoveNext(cts.Token));
        Assert.Equal(1, stream.Current.Event.TrialFinished.Trial.Number);
        Assert.True(stream.Current.Event.Sequence > seen);

        // Told only after the first live event arrived, so this one cannot come from the replay.
        await host.Client.TellAsync(trials[2], Specs.Value(2));
        var rest = await stream.ReadAllAsync(cts.Token).Select(r => r.Event).ToListAsync(cts.Token);

        Assert.Equal(2, rest[0].TrialFinished.Trial.Number);
        Assert.Equal(StudyState.Completed, rest[^1].StudyStateChanged?.State);
        Assert.DoesNotContain(rest, e => e.KindCase == StudyEvent.KindOneofCase.NewBest);
    }
}
