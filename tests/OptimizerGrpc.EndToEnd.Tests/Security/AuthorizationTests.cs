using Grpc.Core;
using OptimizerGrpc.Client;
using OptimizerGrpc.Contracts.V1;
using StudyState = OptimizerGrpc.Contracts.V1.StudyState;
using TellStatus = OptimizerGrpc.Contracts.V1.TellStatus;
using TrialOutcome = OptimizerGrpc.Contracts.V1.TrialOutcome;
using TrialState = OptimizerGrpc.Contracts.V1.TrialState;

namespace OptimizerGrpc.EndToEnd.Tests.Security;

/// <summary>
/// Issue 15's "done when", through the real server over TLS with the real C# client: credentials, roles, owners,
/// lease holders. Each test has its own server (a few hundred milliseconds) so no test sees another's studies.
/// </summary>
public sealed class AuthorizationTests
{
    /// <summary>A deterministic grid of 400 points over t.a, t.b, t.c, objective "y", ending after <paramref name="maxTrials"/>.</summary>
    private static StudySpec Spec(int maxTrials = 20)
    {
        var spec = Reliability.Harness.Grid(4);
        spec.MaxTrials = maxTrials;
        return spec;
    }

    private static async Task<RpcException> Refused(Func<Task> call, StatusCode code)
    {
        var e = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(code, e.StatusCode);
        return e;
    }

    [Fact(Timeout = 60_000)]
    public async Task NoCredentials_Unauthenticated_WithWhatToDo_AndAWrongKeyToo()
    {
        await using var server = await SecureServer.StartAsync();
        await using var anonymous = server.Client(apiKey: null);
        var e = await Refused(() => anonymous.Raw.ListStudiesAsync(new ListStudiesRequest()).ResponseAsync, StatusCode.Unauthenticated);
        Assert.Contains("x-api-key", e.Status.Detail, StringComparison.Ordinal);
        await Refused(() => anonymous.Raw.CreateStudyAsync(new CreateStudyRequest { Spec = Spec() }).ResponseAsync, StatusCode.Unauthenticated);

        await using var wrong = server.Client("not-a-key-of-this-server");
        e = await Refused(() => wrong.Raw.GetStudyAsync(new GetStudyRequest { StudyId = "x" }).ResponseAsync, StatusCode.Unauthenticated);
        Assert.Contains("API key is not valid", e.Status.Detail, StringComparison.Ordinal);

        // Work streams and watches are refused the same way.
        await using var anonymousWork = server.Client(apiKey: null);
        using var work = anonymousWork.Raw.Work();
        await Refused(async () =>
        {
            await work.RequestStream.WriteAsync(new WorkRequest { Hello = new WorkerHello { WorkerId = "w", StudyIds = { "x" } } });
            await work.ResponseStream.MoveNext();
        }, StatusCode.Unauthenticated);
    }

    [Fact(Timeout = 60_000)]
    public async Task Viewer_ReadsEverything_ButCannotCreateStopOrTell()
    {
        await using var server = await SecureServer.StartAsync();
        await using var alice = server.Client(SecureServer.Alice);
        await using var viewer = server.Client(SecureServer.Viewer);
        await using var worker = server.Client(SecureServer.WorkerA);
        await alice.Raw.CreateStudyAsync(new CreateStudyRequest { StudyId = "alpha", Spec = Spec() });
        var asked = await worker.Raw.AskTrialsAsync(new AskTrialsRequest { StudyId = "alpha", WorkerId = "w1" });

        Assert.Equal("alpha", Assert.Single((await viewer.Raw.ListStudiesAsync(new ListStudiesRequest())).Studies).StudyId);
        Assert.Equal("alice", (await viewer.Raw.GetStudyAsync(new GetStudyRequest { StudyId = "alpha" })).Study.Owner);
        var e = await Refused(() => viewer.Raw.CreateStudyAsync(new CreateStudyRequest { Spec = Spec() }).ResponseAsync, StatusCode.PermissionDenied);
        Assert.Equal("'watcher' has role 'viewer', which may not create studies (docs/security.md)", e.Status.Detail);
        await Refused(() => viewer.Raw.StopStudyAsync(new StopStudyRequest { StudyId = "alpha" }).ResponseAsync, StatusCode.PermissionDenied);
        await Refused(() => viewer.Raw.AskTrialsAsync(new AskTrialsRequest { StudyId = "alpha" }).ResponseAsync, StatusCode.PermissionDenied);
        var trial = asked.Trials[0];
        await Refused(() => viewer.Raw.TellTrialAsync(new TellTrialRequest
        {
            StudyId = "alpha", TrialNumber = trial.Number, Attempt = trial.Attempt, Outcome = new TrialOutcome { Values = { ["y"] = 1e300 } },
        }).ResponseAsync, StatusCode.PermissionDenied);
        var study = (await alice.Raw.GetStudyAsync(new GetStudyRequest { StudyId = "alpha" })).Study;
        Assert.Equal(StudyState.Running, study.State);
        Assert.Equal(0, study.Counts.Completed);
    }

    [Fact(Timeout = 60_000)]
    public async Task Researcher_OwnsWhatItCreates_CannotSeeStopOrDeleteAnothers_AdminCan()
    {
        await using var server = await SecureServer.StartAsync();
        await using var alice = server.Client(SecureServer.Alice);
        await using var bob = server.Client(SecureServer.Bob);
        await using var admin = server.Client(SecureServer.Admin);
        var created = await alice.Raw.CreateStudyAsync(new CreateStudyRequest { StudyId = "alpha", Spec = Spec() });
        Assert.Equal("alice", created.Study.Owner);
        Assert.Equal("alice", (await alice.GetStudyAsync("alpha")).Owner); // the typed client too
        await bob.Raw.CreateStudyAsync(new CreateStudyRequest { StudyId = "beta", Spec = Spec() });

        Assert.Equal(["beta"], (await bob.Raw.ListStudiesAsync(new ListStudiesRequest())).Studies.Select(s => s.StudyId));
        Assert.Equal(["beta", "alpha"], (await admin.Raw.ListStudiesAsync(new ListStudiesRequest())).Studies.Select(s => s.StudyId));
        var e = await Refused(() => bob.Raw.DeleteStudyAsync(new DeleteStudyRequest { StudyId = "alpha" }).ResponseAsync, StatusCode.PermissionDenied);
        Assert.Contains("belongs to 'alice'", e.Status.Detail, StringComparison.Ordinal);
        await Refused(() => bob.Raw.StopStudyAsync(new StopStudyRequest { StudyId = "alpha" }).ResponseAsync, StatusCode.PermissionDenied);
        await Refused(() => bob.Raw.PauseStudyAsync(new PauseStudyRequest { StudyId = "alpha" }).ResponseAsync, StatusCode.PermissionDenied);
        await Refused(() => bob.Raw.GetStudyAsync(new GetStudyRequest { StudyId = "alpha" }).ResponseAsync, StatusCode.PermissionDenied);
        await Refused(() => bob.Raw.AskTrialsAsync(new AskTrialsRequest { StudyId = "alpha" }).ResponseAsync, StatusCode.PermissionDenied);
        // Idempotent create of another owner's id does not hand the study over.
        await Refused(() => bob.Raw.CreateStudyAsync(new CreateStudyRequest { StudyId = "alpha", Spec = Spec() }).ResponseAsync, StatusCode.PermissionDenied);
        Assert.False((await alice.Raw.CreateStudyAsync(new CreateStudyRequest { StudyId = "alpha", Spec = Spec() })).Created);

        // Stored state is intact after the refusals; the owner steers, an admin deletes.
        Assert.Equal(StudyState.Paused, (await alice.Raw.PauseStudyAsync(new PauseStudyRequest { StudyId = "alpha" })).Study.State);
        await admin.Raw.DeleteStudyAsync(new DeleteStudyRequest { StudyId = "alpha" });
        await Refused(() => alice.Raw.GetStudyAsync(new GetStudyRequest { StudyId = "alpha" }).ResponseAsync, StatusCode.NotFound);
    }

    [Fact(Timeout = 60_000)]
    public async Task Worker_ReportsOnlyOnItsOwnLease_WhateverWorkerIdTheMessageClaims()
    {
        await using var server = await SecureServer.StartAsync();
        await using var alice = server.Client(SecureServer.Alice);
        await using var a = server.Client(SecureServer.WorkerA);
        await using var b = server.Client(SecureServer.WorkerB);
        await alice.Raw.CreateStudyAsync(new CreateStudyRequest { StudyId = "alpha", Spec = Spec() });
        var trial = (await a.Raw.AskTrialsAsync(new AskTrialsRequest { StudyId = "alpha", WorkerId = "w1" })).Trials[0];
        Assert.Equal("worker-a/w1", trial.WorkerId);
        TellTrialRequest Tell(string workerId, double y) => new()
        {
            StudyId = "alpha", TrialNumber = trial.Number, Attempt = trial.Attempt, WorkerId = workerId, Outcome = new TrialOutcome { Values = { ["y"] = y } },
        };

        // Another key, even claiming the holder's worker id (bare or qualified): refused, and the trial still runs.
        var e = await Refused(() => b.Raw.TellTrialAsync(Tell("w1", 1e300)).ResponseAsync, StatusCode.PermissionDenied);
        Assert.Contains("leased to another worker", e.Status.Detail, StringComparison.Ordinal);
        await Refused(() => b.Raw.TellTrialAsync(Tell("worker-a/w1", 1e300)).ResponseAsync, StatusCode.PermissionDenied);
        await Refused(() => b.Raw.TellTrialAsync(Tell("", 1e300)).ResponseAsync, StatusCode.PermissionDenied);
        // The same key, another worker id: refused too.
        await Refused(() => a.Raw.TellTrialAsync(Tell("w2", 1e300)).ResponseAsync, StatusCode.PermissionDenied);
        var page = await alice.Raw.ListTrialsAsync(new ListTrialsRequest { StudyId = "alpha" });
        Assert.Equal(TrialState.Running, page.Trials.Single(t => t.Number == trial.Number).State);

        // Its holder: accepted, once.
        Assert.Equal(TellStatus.Accepted, (await a.Raw.TellTrialAsync(Tell("w1", 0.5))).Status);
        Assert.Equal(TellStatus.Duplicate, (await a.Raw.TellTrialAsync(Tell("w1", 0.5))).Status);
        var best = (await alice.Raw.GetStudyAsync(new GetStudyRequest { StudyId = "alpha" })).Study.BestTrial;
        Assert.Equal(0.5, best.Values["y"]);
    }

    [Fact(Timeout = 60_000)]
    public async Task WorkStream_ForeignResultRejected_AndAScopedKeyServesOnlyItsStudies()
    {
        await using var server = await SecureServer.StartAsync();
        await using var admin = server.Client(SecureServer.Admin);
        await using var a = server.Client(SecureServer.WorkerA);
        await using var b = server.Client(SecureServer.WorkerB);
        await using var nightly = server.Client(SecureServer.Nightly);
        await admin.Raw.CreateStudyAsync(new CreateStudyRequest { StudyId = "alpha", Spec = Spec() });
        await admin.Raw.CreateStudyAsync(new CreateStudyRequest { StudyId = "nightly-1", Spec = Spec() });
        var trial = (await a.Raw.AskTrialsAsync(new AskTrialsRequest { StudyId = "alpha", WorkerId = "w1" })).Trials[0];

        // worker-b's stream reports worker-a's trial: a REJECTED ack, the stream stays up.
        using var stream = b.Raw.Work();
        await stream.RequestStream.WriteAsync(new WorkRequest { Hello = new WorkerHello { WorkerId = "w1", Capacity = 1, StudyIds = { "alpha" } } });
        await stream.RequestStream.WriteAsync(new WorkRequest
        {
            Results = new TrialResults { Results = { new TrialResult { StudyId = "alpha", TrialNumber = trial.Number, Attempt = trial.Attempt, Outcome = new TrialOutcome { Values = { ["y"] = 1e300 } } } } },
        });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        ResultAck? ack = null;
        while (ack is null && await stream.ResponseStream.MoveNext(cts.Token))
        {
            ack = stream.ResponseStream.Current.Acks?.Acks.FirstOrDefault(x => x.Trial.TrialNumber == trial.Number);
        }

        Assert.NotNull(ack);
        Assert.Equal(TellStatus.Rejected, ack.Status);
        Assert.Contains("leased to another worker", ack.Message, StringComparison.Ordinal);

        // The nightly key may work on nightly-* only, and sees only those.
        Assert.NotEmpty((await nightly.Raw.AskTrialsAsync(new AskTrialsRequest { StudyId = "nightly-1" })).Trials);
        var e = await Refused(() => nightly.Raw.AskTrialsAsync(new AskTrialsRequest { StudyId = "alpha" }).ResponseAsync, StatusCode.PermissionDenied);
        Assert.Contains("limited to studies nightly-*", e.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(["nightly-1"], (await nightly.Raw.ListStudiesAsync(new ListStudiesRequest())).Studies.Select(s => s.StudyId));
        using var denied = nightly.Raw.Work();
        await Refused(async () =>
        {
            await denied.RequestStream.WriteAsync(new WorkRequest { Hello = new WorkerHello { WorkerId = "n", StudyIds = { "alpha" } } });
            await denied.ResponseStream.MoveNext();
        }, StatusCode.PermissionDenied);
    }

    [Fact(Timeout = 60_000)]
    public async Task Tls_WorksWithTheRunsCa_AndFailsWithoutIt()
    {
        await using var server = await SecureServer.StartAsync();
        Assert.StartsWith("https://", server.Address, StringComparison.Ordinal);
        await using var trusted = server.Client(SecureServer.Admin);
        Assert.Empty((await trusted.Raw.ListStudiesAsync(new ListStudiesRequest())).Studies);
        await using var untrusted = server.Client(SecureServer.Admin, trustCa: false);
        // grpc-dotnet reports a failed TLS handshake as INTERNAL ("Error starting gRPC call"); other clients say UNAVAILABLE.
        var e = await Assert.ThrowsAsync<RpcException>(() => untrusted.Raw.ListStudiesAsync(new ListStudiesRequest()).ResponseAsync);
        Assert.Contains(e.StatusCode, new[] { StatusCode.Internal, StatusCode.Unavailable });
        Assert.Contains("SSL", e.Status.DebugException?.ToString() ?? e.Status.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact(Timeout = 120_000)]
    public async Task Worker_RunsAStudyToTheEnd_OverTlsWithAKey()
    {
        await using var server = await SecureServer.StartAsync();
        await using var alice = server.Client(SecureServer.Alice);
        await using var workerClient = server.Client(SecureServer.WorkerA);
        await alice.Raw.CreateStudyAsync(new CreateStudyRequest { StudyId = "alpha", Spec = Spec(maxTrials: 30) });
        using var done = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var worker = new OptimizerWorker(workerClient, ["alpha"], (trial, _) =>
            Task.FromResult(Client.TrialOutcome.FromValues(("y", trial.Params.Values.Sum(v => v.AsDouble())))),
            new WorkerOptions { WorkerId = "w", Capacity = 4 });
        await worker.RunAsync(done.Token);
        var study = (await alice.Raw.GetStudyAsync(new GetStudyRequest { StudyId = "alpha" })).Study;
        Assert.Equal(StudyState.Completed, study.State);
        Assert.Equal(30, study.Counts.Completed);
    }
}
