using Grpc.Core;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Testing;

namespace OptimizerGrpc.EndToEnd.Tests.Operations;

/// <summary>
/// SIGTERM is how docker, systemd and Kubernetes stop a process: the server must drain and checkpoint as on Ctrl+C
/// and exit 0, not wait for the SIGKILL that follows.
/// </summary>
public sealed class ShutdownTests : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    // A graceful stop takes well under a second; this leaves room for a loaded machine.
    private static readonly TimeSpan GracefulStop = TimeSpan.FromSeconds(15);
    private readonly string _dir = Directory.CreateTempSubdirectory("optimizer-ops-").FullName;

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

    [Fact(Timeout = 90_000)]
    public async Task Sigterm_WithRunningStudyLeasesWorkerAndWatcher_ExitsZeroAndCheckpoints()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(85));
        var ct = cts.Token;
        string storage = Path.Combine(_dir, "term.db");
        var server = await ServerProcess.StartAsync(storage, StartTimeout);
        var acknowledged = new Dictionary<long, double>();
        List<Trial> leased;
        try
        {
            await server.Client.CreateStudyAsync(new CreateStudyRequest { StudyId = "term", Spec = KillTests.Spec(2, 100_000, 5) }, cancellationToken: ct);

            // A worker that reported some results (acknowledged) and now holds unreported trials.
            var call = server.Client.Work(cancellationToken: ct);
            await call.RequestStream.WriteAsync(new WorkRequest { Hello = new WorkerHello { WorkerId = "w", Capacity = 4, StudyIds = { "term" } } }, ct);
            Assert.True(await call.ResponseStream.MoveNext(ct));
            Assert.Equal(WorkResponse.KindOneofCase.Welcome, call.ResponseStream.Current.KindCase);
            Assert.True(await call.ResponseStream.MoveNext(ct));
            var results = new TrialResults();
            foreach (var a in call.ResponseStream.Current.Assignments.Assignments)
            {
                double y = KillTests.Objective(a.Trial);
                acknowledged[a.Trial.Number] = y;
                results.Results.Add(new TrialResult { StudyId = "term", TrialNumber = a.Trial.Number, Attempt = a.Trial.Attempt, Outcome = new TrialOutcome { Values = { ["y"] = y } } });
            }

            await call.RequestStream.WriteAsync(new WorkRequest { Results = results }, ct);
            int acks = 0;
            while (acks < results.Results.Count && await call.ResponseStream.MoveNext(ct))
            {
                if (call.ResponseStream.Current.KindCase == WorkResponse.KindOneofCase.Acks)
                {
                    Assert.All(call.ResponseStream.Current.Acks.Acks, a => Assert.Equal(TellStatus.Accepted, a.Status));
                    acks += call.ResponseStream.Current.Acks.Acks.Count;
                }
            }

            // Trials leased over the unary API, and a watcher following the study: neither may hold up the stop.
            leased = [.. (await server.Client.AskTrialsAsync(new AskTrialsRequest { StudyId = "term", Count = 3, WorkerId = "u" }, cancellationToken: ct)).Trials];
            using var watch = server.Client.WatchStudy(new WatchStudyRequest { StudyId = "term" }, cancellationToken: ct);
            Assert.True(await watch.ResponseStream.MoveNext(ct));

            var started = System.Diagnostics.Stopwatch.StartNew();
            int? exitCode = await server.TerminateAsync(GracefulStop);
            Assert.True(exitCode is not null, $"the server was still running {GracefulStop.TotalSeconds} s after SIGTERM:\n" + string.Join('\n', server.Output));
            Assert.Equal(0, exitCode);
            Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"the server took {started.Elapsed.TotalSeconds:F1} s to stop");
            Assert.DoesNotContain(server.Output, line => line.Contains("ERR", StringComparison.Ordinal) || line.Contains("FTL", StringComparison.Ordinal));
            call.Dispose();
        }
        finally
        {
            server.Dispose();
        }

        using var restarted = await ServerProcess.StartAsync(storage, StartTimeout);
        var trials = await KillTests.ListAllTrialsAsync(restarted.Client, "term", ct);
        var byNumber = trials.ToDictionary(t => t.Number);
        foreach (var (number, y) in acknowledged)
        {
            Assert.Equal(TrialState.Completed, byNumber[number].State);
            Assert.Equal(y, byNumber[number].Values["y"]);
        }

        // The checkpoint ran: the reserved block was given back, so there is no warning and numbering continues
        // without a gap; the leased trials come back for another attempt.
        Assert.DoesNotContain(restarted.Output, line => line.Contains("did not stop cleanly", StringComparison.Ordinal));
        long highest = trials.Max(t => t.Number);
        var after = (await restarted.Client.AskTrialsAsync(new AskTrialsRequest { StudyId = "term", Count = 20, WorkerId = "u2" }, cancellationToken: ct)).Trials;
        Assert.Subset(after.Select(t => t.Number).ToHashSet(), leased.Select(t => t.Number).ToHashSet());
        var fresh = after.Where(t => t.Number > highest).Select(t => t.Number).Order().ToList();
        Assert.NotEmpty(fresh);
        Assert.Equal(highest + 1, fresh[0]);
    }

    [Fact(Timeout = 60_000)]
    public async Task Sigint_StillStopsGracefully()
    {
        // The Python LocalServer stops its server with SIGINT; that path must keep working. A process started with
        // SIGINT ignored (by nohup, or with & from a script) passes that on to the server it starts, and .NET then
        // leaves SIGINT ignored, as Unix programs do: the server keeps running and SIGTERM stops it.
        var server = await ServerProcess.StartAsync(Path.Combine(_dir, "int.db"), StartTimeout);
        try
        {
            await server.Client.CreateStudyAsync(new CreateStudyRequest { StudyId = "int", Spec = KillTests.Spec(2, 100, 5) });
            using (var kill = System.Diagnostics.Process.Start("kill", ["-INT", server.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            if (SigintIgnoredHere())
            {
                Assert.False(await Task.Run(() => WaitForExit(server, TimeSpan.FromSeconds(2))), "an inherited SIG_IGN for SIGINT was not kept");
                Assert.Equal(0, await server.TerminateAsync(GracefulStop));
                return;
            }

            var exited = await Task.Run(() => WaitForExit(server, GracefulStop));
            Assert.True(exited, $"the server was still running {GracefulStop.TotalSeconds} s after SIGINT:\n" + string.Join('\n', server.Output));
        }
        finally
        {
            server.Dispose();
        }
    }

    // Bit 1 (SIGINT is signal 2) of the SigIgn mask in /proc/self/status: this test process, and so every server it
    // starts, ignores SIGINT.
    private static bool SigintIgnoredHere()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & 0b10) != 0;
    }

    private static bool WaitForExit(ServerProcess server, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (!server.HasExited && DateTime.UtcNow < until)
        {
            Thread.Sleep(50);
        }

        return server.HasExited;
    }
}
