using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Testing;

namespace OptimizerGrpc.EndToEnd.Tests.Operations;

/// <summary>
/// What a worker and a watcher are told over their streams: heartbeat advice that keeps short leases alive, an
/// immediate StudyDone when a study they hold trials of is stopped or deleted, NOT_FOUND for watchers of a deleted
/// study, and heartbeats that renew by the lease the trial was handed out with.
/// </summary>
public sealed class WorkStreamTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly ServerProcess _server = fixture.Server;

    private async Task CreateAsync(string id, TimeSpan? lease = null, long maxTrials = 100_000)
    {
        var spec = KillTests.Spec(2, maxTrials, 11);
        if (lease is { } l)
        {
            spec.LeaseDuration = Duration.FromTimeSpan(l);
        }

        await _server.Client.CreateStudyAsync(new CreateStudyRequest { StudyId = id, Spec = spec });
    }

    private static async Task<WorkResponse> NextAsync(AsyncDuplexStreamingCall<WorkRequest, WorkResponse> call, WorkResponse.KindOneofCase kind, TimeSpan within)
    {
        using var cts = new CancellationTokenSource(within);
        while (await call.ResponseStream.MoveNext(cts.Token))
        {
            if (call.ResponseStream.Current.KindCase == kind)
            {
                return call.ResponseStream.Current;
            }
        }

        throw new InvalidOperationException($"the stream ended before a {kind} message");
    }

    private AsyncDuplexStreamingCall<WorkRequest, WorkResponse> Open(string worker, int capacity, params string[] studies)
    {
        var call = _server.Client.Work();
        var hello = new WorkerHello { WorkerId = worker, Capacity = capacity };
        hello.StudyIds.AddRange(studies);
        _ = call.RequestStream.WriteAsync(new WorkRequest { Hello = hello });
        return call;
    }

    [Fact(Timeout = 60_000)]
    public async Task Welcome_ShortLease_AdvisesAThirdOfTheShortestLease()
    {
        await CreateAsync("long");
        await CreateAsync("short", TimeSpan.FromSeconds(1.5));
        using var call = Open("w", 1, "long", "short");
        var welcome = (await NextAsync(call, WorkResponse.KindOneofCase.Welcome, TimeSpan.FromSeconds(10))).Welcome;
        Assert.True(welcome.HeartbeatInterval.ToTimeSpan() <= TimeSpan.FromSeconds(0.5), $"advised {welcome.HeartbeatInterval.ToTimeSpan()} for a 1.5 s lease");
    }

    [Fact(Timeout = 60_000)]
    public async Task Welcome_WorkerFollowingTheAdvice_KeepsItsLeasePastTheLeaseLength()
    {
        // A 3 s lease: the advice (<= 1 s) leaves room for a loaded CI machine; the old 5 s advice loses the lease.
        await CreateAsync("follow", TimeSpan.FromSeconds(3));
        using var call = Open("w", 1, "follow");
        var interval = (await NextAsync(call, WorkResponse.KindOneofCase.Welcome, TimeSpan.FromSeconds(10))).Welcome.HeartbeatInterval.ToTimeSpan();
        var trial = (await NextAsync(call, WorkResponse.KindOneofCase.Assignments, TimeSpan.FromSeconds(10))).Assignments.Assignments[0].Trial;

        // A 7 s evaluation, heartbeating as advised.
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(7);
        while (DateTime.UtcNow < until)
        {
            await call.RequestStream.WriteAsync(new WorkRequest { Heartbeat = new WorkerHeartbeat { Running = { new TrialRef { StudyId = "follow", TrialNumber = trial.Number, Attempt = trial.Attempt } } } });
            await Task.Delay(interval);
        }

        await call.RequestStream.WriteAsync(new WorkRequest { Results = new TrialResults { Results = { new TrialResult { StudyId = "follow", TrialNumber = trial.Number, Attempt = trial.Attempt, Outcome = new TrialOutcome { Values = { ["y"] = 1 } } } } } });
        var ack = (await NextAsync(call, WorkResponse.KindOneofCase.Acks, TimeSpan.FromSeconds(10))).Acks.Acks.Single();
        Assert.Equal(TellStatus.Accepted, ack.Status);
    }

    [Fact(Timeout = 60_000)]
    public async Task DeleteStudy_WorkerHoldingItsTrial_IsToldAtOnce()
    {
        await CreateAsync("gone");
        using var call = Open("w", 1, "gone");
        await NextAsync(call, WorkResponse.KindOneofCase.Assignments, TimeSpan.FromSeconds(10));
        await _server.Client.DeleteStudyAsync(new DeleteStudyRequest { StudyId = "gone" });

        var done = (await NextAsync(call, WorkResponse.KindOneofCase.StudyDone, TimeSpan.FromSeconds(3))).StudyDone;
        Assert.Equal("gone", done.StudyId);
        Assert.True(done.Deleted);
    }

    [Fact(Timeout = 60_000)]
    public async Task StopStudy_WorkerHoldingItsTrial_IsToldAtOnceAndItsResultIsStillAccepted()
    {
        await CreateAsync("halt");
        using var call = Open("w", 1, "halt");
        var trial = (await NextAsync(call, WorkResponse.KindOneofCase.Assignments, TimeSpan.FromSeconds(10))).Assignments.Assignments[0].Trial;
        await _server.Client.StopStudyAsync(new StopStudyRequest { StudyId = "halt" });

        var done = (await NextAsync(call, WorkResponse.KindOneofCase.StudyDone, TimeSpan.FromSeconds(3))).StudyDone;
        Assert.Equal(StudyState.Stopped, done.State);
        Assert.False(done.Deleted);
        await call.RequestStream.WriteAsync(new WorkRequest { Results = new TrialResults { Results = { new TrialResult { StudyId = "halt", TrialNumber = trial.Number, Attempt = trial.Attempt, Outcome = new TrialOutcome { Values = { ["y"] = 1 } } } } } });
        Assert.Equal(TellStatus.Accepted, (await NextAsync(call, WorkResponse.KindOneofCase.Acks, TimeSpan.FromSeconds(10))).Acks.Acks.Single().Status);
    }

    [Fact(Timeout = 60_000)]
    public async Task DeleteStudy_Watchers_EndWithNotFound()
    {
        await CreateAsync("watched");
        using var watch = _server.Client.WatchStudy(new WatchStudyRequest { StudyId = "watched", IncludeTrials = true });
        Assert.True(await watch.ResponseStream.MoveNext()); // the creation's state change
        await _server.Client.DeleteStudyAsync(new DeleteStudyRequest { StudyId = "watched" });

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await watch.ResponseStream.MoveNext(cts.Token))
            {
            }
        });
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task Heartbeat_TrialAskedWithALongerLease_RenewsByThatLease()
    {
        // The study's lease is 1 s; the trial is asked with 4 s. A heartbeat at ~2.5 s must renew to ~6.5 s, so a
        // result at ~4.5 s, past the first expiry, is accepted (a renewal by the study's 1 s would end at ~3.5 s).
        await CreateAsync("asked", TimeSpan.FromSeconds(1), maxTrials: 1);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var trial = (await _server.Client.AskTrialsAsync(new AskTrialsRequest { StudyId = "asked", Count = 1, WorkerId = "w", LeaseDuration = Duration.FromTimeSpan(TimeSpan.FromSeconds(4)) })).Trials.Single();
        using var call = Open("w", 1, "asked"); // the same worker heartbeats over its Work stream
        await NextAsync(call, WorkResponse.KindOneofCase.Welcome, TimeSpan.FromSeconds(10));
        await Task.Delay(TimeSpan.FromSeconds(2.5) - TimeSpan.FromTicks(Math.Min(clock.Elapsed.Ticks, TimeSpan.FromSeconds(2.5).Ticks)));
        await call.RequestStream.WriteAsync(new WorkRequest { Heartbeat = new WorkerHeartbeat { Running = { new TrialRef { StudyId = "asked", TrialNumber = trial.Number, Attempt = trial.Attempt } } } });
        await Task.Delay(TimeSpan.FromSeconds(0.3));

        // The renewal is stored: ListTrials shows the new expiry.
        var listed = (await _server.Client.ListTrialsAsync(new ListTrialsRequest { StudyId = "asked" })).Trials.Single();
        Assert.True(listed.LeaseExpireTime.ToDateTimeOffset() > trial.LeaseExpireTime.ToDateTimeOffset() + TimeSpan.FromSeconds(1), $"lease {listed.LeaseExpireTime} was not renewed past {trial.LeaseExpireTime}");

        var wait = TimeSpan.FromSeconds(4.5) - clock.Elapsed;
        await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
        var told = await _server.Client.TellTrialAsync(new TellTrialRequest { StudyId = "asked", TrialNumber = trial.Number, Attempt = trial.Attempt, WorkerId = "w", Outcome = new TrialOutcome { Values = { ["y"] = 1 } } });
        Assert.Equal(TellStatus.Accepted, told.Status);
    }
}
