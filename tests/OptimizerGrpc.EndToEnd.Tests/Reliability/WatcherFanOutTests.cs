using Grpc.Core;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Testing;

namespace OptimizerGrpc.EndToEnd.Tests.Reliability;

/// <summary>50 watchers follow one study live: each receives every event, in order, and its stream ends with the study.</summary>
[Collection(ReliabilitySuite.Name)]
public sealed class WatcherFanOutTests : IDisposable
{
    private const int Watchers = 50;
    private readonly Harness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact(Timeout = 90_000)]
    public async Task FiftyWatchers_LiveStudy_EachReceivesEveryEventInOrder()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(85));
        var ct = cts.Token;
        using var server = await ServerProcess.StartAsync(_h.Db("watch"), Harness.StartTimeout);
        await server.Client.CreateStudyAsync(new CreateStudyRequest { StudyId = "fan", Spec = Harness.Grid(5), StartPaused = true }, cancellationToken: ct);

        // Every watcher is connected (it received the creation's event) before the study starts.
        var connected = new CountdownEvent(Watchers);
        var watching = Enumerable.Range(0, Watchers).Select(_ => Task.Run(() => WatchAsync(server, 0, connected, ct), ct)).ToList();
        Assert.True(await Task.Run(() => connected.Wait(TimeSpan.FromSeconds(30), ct), ct), "not every watcher connected");

        await server.Client.ResumeStudyAsync(new ResumeStudyRequest { StudyId = "fan" }, cancellationToken: ct);
        var workers = Enumerable.Range(0, 4).Select(i => new WorkLoop($"w{i}", "fan", 8, Harness.Objective, _ => Task.FromResult(server.Client))).ToList();
        await Task.WhenAll(workers.Select(w => Task.Run(() => w.RunAsync(ct), ct))).WaitAsync(TimeSpan.FromSeconds(30), ct);
        var received = await Task.WhenAll(watching).WaitAsync(TimeSpan.FromSeconds(30), ct);

        // The reference: the whole history replayed from the store after the study ended.
        var reference = await WatchAsync(server, 0, null, ct);
        Assert.Equal(500, reference.Count(e => e.KindCase == StudyEvent.KindOneofCase.TrialFinished));
        Assert.Equal(StudyState.Completed, reference[^1].StudyStateChanged.State);
        var expected = reference.Select(e => (e.Sequence, e.KindCase)).ToList();
        foreach (var events in received)
        {
            Assert.Equal(expected, events.Select(e => (e.Sequence, e.KindCase)).ToList());
        }

        Assert.Equal(
            reference.Where(e => e.KindCase == StudyEvent.KindOneofCase.TrialFinished).Select(e => e.TrialFinished.Trial.Values["y"]),
            received[^1].Where(e => e.KindCase == StudyEvent.KindOneofCase.TrialFinished).Select(e => e.TrialFinished.Trial.Values["y"]));
        await Harness.AssertHealthyAsync(server);
    }

    private static async Task<List<StudyEvent>> WatchAsync(ServerProcess server, long after, CountdownEvent? connected, CancellationToken ct)
    {
        var events = new List<StudyEvent>();
        using var call = server.Client.WatchStudy(new WatchStudyRequest { StudyId = "fan", AfterSequence = after, IncludeTrials = true }, cancellationToken: ct);
        long last = after;
        while (await call.ResponseStream.MoveNext(ct))
        {
            var e = call.ResponseStream.Current.Event;
            Assert.True(e.Sequence > last, $"sequence {e.Sequence} after {last}");
            last = e.Sequence;
            events.Add(e);
            if (events.Count == 1)
            {
                connected?.Signal();
            }
        }

        return events;
    }
}
