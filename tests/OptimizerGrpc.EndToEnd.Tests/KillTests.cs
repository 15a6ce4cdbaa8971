using System.Collections.Concurrent;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Testing;

namespace OptimizerGrpc.EndToEnd.Tests;

/// <summary>
/// The server process is SIGKILLed in the middle of a study and restarted on the same file: nothing that was
/// acknowledged is lost, nothing is counted twice, and the study runs to completion.
/// </summary>
public sealed class KillTests : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly string _dir = Directory.CreateTempSubdirectory("optimizer-e2e-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    internal static StudySpec Spec(int parameters, long maxTrials, ulong seed)
    {
        var target = new Target { Name = "t", Kind = TargetKind.Custom };
        for (int i = 0; i < parameters; i++)
        {
            target.Parameters.Add(new Parameter { Name = $"x{i}", FloatRange = new FloatRange { Low = 0, High = 1 } });
        }

        var spec = new StudySpec
        {
            DisplayName = "kill test",
            Method = new MethodSpec { Random = new RandomSearchSettings(), Seed = seed },
            MaxTrials = maxTrials,
        };
        spec.Targets.Add(target);
        spec.Objectives.Add(new Objective { Metric = "y", Direction = Direction.Maximize });
        return spec;
    }

    internal static double Objective(Trial trial)
    {
        double y = 0;
        foreach (var (_, p) in trial.Params)
        {
            double d = p.FloatValue - 0.3;
            y -= d * d;
        }

        return y;
    }

    internal static async Task<List<Trial>> ListAllTrialsAsync(OptimizerService.OptimizerServiceClient client, string studyId, CancellationToken ct)
    {
        var all = new List<Trial>();
        string token = "";
        do
        {
            var page = await client.ListTrialsAsync(new ListTrialsRequest { StudyId = studyId, PageSize = 10_000, PageToken = token }, cancellationToken: ct);
            all.AddRange(page.Trials);
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        return all;
    }

    [Fact(Timeout = 120_000)]
    public async Task Killed_server_loses_no_acknowledged_result_and_counts_nothing_twice()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(110));
        var ct = cts.Token;
        string storage = Path.Combine(_dir, "kill.db");
        const int MaxTrials = 3000;
        const int KillAfter = 800;

        var server = await ServerProcess.StartAsync(storage, StartTimeout);
        try
        {
            var created = await server.Client.CreateStudyAsync(new CreateStudyRequest { StudyId = "kill", Spec = Spec(3, MaxTrials, 42) }, cancellationToken: ct);
            Assert.True(created.Created);

            // The current server; replaced by an unfinished source while the server is down.
            var current = new TaskCompletionSource<OptimizerService.OptimizerServiceClient>(TaskCreationOptions.RunContinuationsAsynchronously);
            current.SetResult(server.Client);
            var acks = new ConcurrentQueue<AckRecord>();
            int accepted = 0;
            var reachedKill = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            bool killed = false;
            var acceptedBeforeKill = new List<AckRecord>();
            var gate = new object();

            void OnAck(AckRecord a)
            {
                lock (gate)
                {
                    acks.Enqueue(a);
                    if (a.Status == TellStatus.Accepted && !killed)
                    {
                        acceptedBeforeKill.Add(a);
                        if (++accepted >= KillAfter)
                        {
                            reachedKill.TrySetResult();
                        }
                    }
                }
            }

            Task<OptimizerService.OptimizerServiceClient> Connect(CancellationToken token) => Volatile.Read(ref current).Task.WaitAsync(token);

            var workers = Enumerable.Range(0, 2)
                .Select(i => new WorkLoop($"w{i}", "kill", 16, Objective, Connect, OnAck))
                .ToList();
            var running = workers.Select(w => Task.Run(() => w.RunAsync(ct), ct)).ToList();

            await reachedKill.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);
            lock (gate)
            {
                // Acks the workers see from here on are not counted as "before the kill".
                killed = true;
                Volatile.Write(ref current, new TaskCompletionSource<OptimizerService.OptimizerServiceClient>(TaskCreationOptions.RunContinuationsAsynchronously));
            }

            server.Kill();
            server.Dispose();
            server = await ServerProcess.StartAsync(storage, StartTimeout);
            Volatile.Read(ref current).SetResult(server.Client);

            await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(60), ct);
            Assert.Contains(workers, w => w.Reconnects > 0);

            var study = (await server.Client.GetStudyAsync(new GetStudyRequest { StudyId = "kill" }, cancellationToken: ct)).Study;
            Assert.Equal(StudyState.Completed, study.State);
            var counts = study.Counts;
            Assert.Equal(MaxTrials, counts.Completed + counts.Failed);

            var trials = await ListAllTrialsAsync(server.Client, "kill", ct);
            Assert.Equal(trials.Count, trials.Select(t => t.Number).Distinct().Count());
            Assert.Equal(MaxTrials, trials.Count);
            long sum = counts.Pending + counts.Running + counts.Completed + counts.Infeasible + counts.Failed + counts.Pruned;
            Assert.Equal(trials.Count, sum);

            var byNumber = trials.ToDictionary(t => t.Number);
            Assert.True(acceptedBeforeKill.Count >= KillAfter);
            foreach (var a in acceptedBeforeKill)
            {
                Assert.True(byNumber.TryGetValue(a.TrialNumber, out var t), $"acknowledged trial {a.TrialNumber} is missing after the restart");
                Assert.Equal(TrialState.Completed, t.State);
                Assert.Equal(a.Attempt, t.Attempt);
                Assert.Equal(a.Value, t.Values["y"]);
            }

            // Across both servers: every trial is accepted at most once, and every accepted result is the stored one.
            var allAccepted = acks.Where(a => a.Status == TellStatus.Accepted).ToList();
            Assert.Equal(allAccepted.Count, allAccepted.Select(a => a.TrialNumber).Distinct().Count());
            foreach (var a in allAccepted)
            {
                Assert.Equal(a.Value, byNumber[a.TrialNumber].Values["y"]);
            }

            Assert.DoesNotContain(acks, a => a.Status is TellStatus.Rejected or TellStatus.Unspecified);
            // A result committed just before the kill whose ack was lost comes back DUPLICATE on re-send.
            var duplicates = acks.Where(a => a.Status == TellStatus.Duplicate).Select(a => a.TrialNumber).ToHashSet();
            var acceptedNumbers = allAccepted.Select(a => a.TrialNumber).ToHashSet();
            Assert.All(trials.Where(t => t.State == TrialState.Completed), t =>
                Assert.True(acceptedNumbers.Contains(t.Number) || duplicates.Contains(t.Number), $"trial {t.Number} completed without an ACCEPTED or DUPLICATE ack"));
        }
        finally
        {
            server.Dispose();
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Killed_server_restarts_with_the_same_study()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(55));
        var ct = cts.Token;
        string storage = Path.Combine(_dir, "spec.db");
        var spec = Spec(3, 500, 7);
        spec.Labels.Add("owner", "e2e");

        Study before;
        using (var server = await ServerProcess.StartAsync(storage, StartTimeout))
        {
            before = (await server.Client.CreateStudyAsync(new CreateStudyRequest { StudyId = "same", Spec = spec }, cancellationToken: ct)).Study;
            server.Kill();
        }

        using var restarted = await ServerProcess.StartAsync(storage, StartTimeout);
        var after = (await restarted.Client.GetStudyAsync(new GetStudyRequest { StudyId = "same" }, cancellationToken: ct)).Study;
        // The stored spec is the request with the server's defaults resolved (here the failure budget, 10).
        var stored = spec.Clone();
        stored.FailureBudget = 10;
        Assert.Equal(stored, after.Spec);
        Assert.Equal(before.Spec, after.Spec);
        Assert.Equal(before.State, after.State);
        Assert.Equal(StudyState.Running, after.State);
        Assert.Equal(before.CreateTime, after.CreateTime);
    }

    [Fact(Timeout = 60_000)]
    public async Task Worker_that_resets_its_Work_stream_is_a_disconnect_not_a_server_error()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(55));
        using var server = await ServerProcess.StartAsync(Path.Combine(_dir, "reset.db"), StartTimeout);
        await server.Client.CreateStudyAsync(new CreateStudyRequest { StudyId = "reset", Spec = Spec(2, 100, 3) }, cancellationToken: cts.Token);

        for (int i = 0; i < 3; i++)
        {
            using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
            using var call = server.Client.Work(cancellationToken: abandon.Token);
            await call.RequestStream.WriteAsync(new WorkRequest { Hello = new WorkerHello { WorkerId = $"w{i}", Capacity = 4, StudyIds = { "reset" } } }, cts.Token);
            Assert.True(await call.ResponseStream.MoveNext(cts.Token)); // welcome
            Assert.True(await call.ResponseStream.MoveNext(cts.Token)); // assignments
            abandon.Cancel(); // the client resets the stream (RST_STREAM) while holding trials
        }

        // The server must still answer, and must not have logged the resets as errors.
        var study = (await server.Client.GetStudyAsync(new GetStudyRequest { StudyId = "reset" }, cancellationToken: cts.Token)).Study;
        Assert.Equal(StudyState.Running, study.State);
        await Task.Delay(500, cts.Token);
        Assert.DoesNotContain(server.Output, line => line.Contains("ERR", StringComparison.Ordinal) || line.Contains("Unexpected error", StringComparison.Ordinal));
    }

    [Fact(Timeout = 60_000)]
    public async Task Killed_server_never_reissues_a_reserved_trial_number_for_another_assignment()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(55));
        var ct = cts.Token;
        string storage = Path.Combine(_dir, "numbers.db");
        List<Trial> before;
        using (var server = await ServerProcess.StartAsync(storage, StartTimeout))
        {
            await server.Client.CreateStudyAsync(new CreateStudyRequest { StudyId = "n", Spec = Spec(2, 100_000, 9) }, cancellationToken: ct);
            before = [.. (await server.Client.AskTrialsAsync(new AskTrialsRequest { StudyId = "n", Count = 5, WorkerId = "w" }, cancellationToken: ct)).Trials];
            server.Kill();
        }

        using var restarted = await ServerProcess.StartAsync(storage, StartTimeout);
        var after = (await restarted.Client.AskTrialsAsync(new AskTrialsRequest { StudyId = "n", Count = 10, WorkerId = "w2" }, cancellationToken: ct)).Trials;

        // The five leased trials come back (attempt 2); new trials continue past the block reserved before the kill,
        // so a number a lost hand-out might have used is never given to another assignment.
        Assert.Equal(before.Select(t => t.Number), after.Take(5).Select(t => t.Number).Order());
        Assert.All(after.Take(5), t => Assert.Equal(2, t.Attempt));
        Assert.All(after.Skip(5), t => Assert.True(t.Number >= 4096, $"trial {t.Number} reuses a reserved number"));
        var stale = await restarted.Client.TellTrialAsync(new TellTrialRequest
        {
            StudyId = "n", TrialNumber = 5, Attempt = 1, WorkerId = "w", Outcome = new TrialOutcome { Values = { ["y"] = 1 } },
        }, cancellationToken: ct).ResponseAsync.ContinueWith(t => t.Exception?.InnerException as Grpc.Core.RpcException, ct);
        Assert.Equal(Grpc.Core.StatusCode.NotFound, stale?.StatusCode);
        Assert.Contains(restarted.Output, line => line.Contains("did not stop cleanly", StringComparison.Ordinal));
    }
}
