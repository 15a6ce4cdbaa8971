using System.Collections.Concurrent;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Testing;

namespace OptimizerGrpc.EndToEnd.Tests.Reliability;

/// <summary>
/// The server process is SIGKILLed three times during a grid study served by four workers. Every acknowledged result
/// is stored exactly once, and the finished trial list equals an uninterrupted run's (grid search is deterministic).
/// </summary>
[Collection(ReliabilitySuite.Name)]
public sealed class CrashCycleTests : IDisposable
{
    private const int LastAxis = 15; // 10 x 10 x 15 = 1,500 grid points
    private const int Workers = 4;
    private readonly Harness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact(Timeout = 150_000)]
    public async Task SigkillCycles_SeveralWorkers_StoreEveryAcknowledgedResultOnceAndMatchTheUninterruptedRun()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(140));
        var ct = cts.Token;
        var reference = await UninterruptedAsync(ct);

        string storage = _h.Db("crash");
        var server = await ServerProcess.StartAsync(storage, Harness.StartTimeout);
        try
        {
            await server.Client.CreateStudyAsync(new CreateStudyRequest { StudyId = "crash", Spec = Harness.Grid(LastAxis) }, cancellationToken: ct);
            var current = new TaskCompletionSource<OptimizerService.OptimizerServiceClient>(TaskCreationOptions.RunContinuationsAsynchronously);
            current.SetResult(server.Client);
            var acks = new ConcurrentQueue<AckRecord>();
            var gate = new object();
            int accepted = 0;
            var killPoints = new Queue<int>([250, 600, 950]);
            var reachedKill = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

            void OnAck(AckRecord a)
            {
                acks.Enqueue(a);
                lock (gate)
                {
                    if (a.Status == TellStatus.Accepted && killPoints.Count > 0 && ++accepted >= killPoints.Peek())
                    {
                        reachedKill.TrySetResult();
                    }
                }
            }

            Task<OptimizerService.OptimizerServiceClient> Connect(CancellationToken token) => Volatile.Read(ref current).Task.WaitAsync(token);

            var workers = Enumerable.Range(0, Workers).Select(i => new WorkLoop($"w{i}", "crash", 8, Harness.Objective, Connect, OnAck)).ToList();
            var running = workers.Select(w => Task.Run(() => w.RunAsync(ct), ct)).ToList();
            int cycles = 0;
            while (true)
            {
                var finished = Task.WhenAll(running);
                if (await Task.WhenAny(reachedKill.Task, finished).WaitAsync(TimeSpan.FromSeconds(60), ct) == finished)
                {
                    break;
                }

                lock (gate)
                {
                    killPoints.Dequeue();
                    reachedKill = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    Volatile.Write(ref current, new TaskCompletionSource<OptimizerService.OptimizerServiceClient>(TaskCreationOptions.RunContinuationsAsynchronously));
                }

                server.Kill();
                server.Dispose();
                cycles++;
                server = await ServerProcess.StartAsync(storage, Harness.StartTimeout);
                Volatile.Read(ref current).SetResult(server.Client);
            }

            await Task.WhenAll(running);
            Assert.Equal(3, cycles);
            var study = (await server.Client.GetStudyAsync(new GetStudyRequest { StudyId = "crash" }, cancellationToken: ct)).Study;
            Assert.Equal(StudyState.Completed, study.State);

            var trials = await KillTests.ListAllTrialsAsync(server.Client, "crash", ct);
            Assert.Equal(trials.Count, trials.Select(t => t.Number).Distinct().Count());
            Assert.Equal(trials.Count, trials.Select(Harness.Key).Distinct().Count());

            // The same finished trials as the uninterrupted run: every grid point once, with the same value.
            var actual = trials.ToDictionary(Harness.Key, t => (t.State, t.Values.GetValueOrDefault("y")));
            Assert.Equal(reference.Count, actual.Count);
            foreach (var (key, expected) in reference)
            {
                Assert.True(actual.TryGetValue(key, out var got), $"grid point {key} is missing after the crashes");
                Assert.Equal(expected, got);
            }

            // Every accepted ack is the stored result of its trial, and no trial was accepted twice.
            var byNumber = trials.ToDictionary(t => t.Number);
            var acceptedAcks = acks.Where(a => a.Status == TellStatus.Accepted).ToList();
            Assert.Equal(acceptedAcks.Count, acceptedAcks.Select(a => a.TrialNumber).Distinct().Count());
            Assert.All(acceptedAcks, a =>
            {
                Assert.Equal(TrialState.Completed, byNumber[a.TrialNumber].State);
                Assert.Equal(a.Attempt, byNumber[a.TrialNumber].Attempt);
                Assert.Equal(a.Value, byNumber[a.TrialNumber].Values["y"]);
            });
            Assert.DoesNotContain(acks, a => a.Status is TellStatus.Rejected or TellStatus.Unspecified);
            await Harness.AssertHealthyAsync(server);
        }
        finally
        {
            server.Dispose();
        }
    }

    private async Task<Dictionary<string, (TrialState, double)>> UninterruptedAsync(CancellationToken ct)
    {
        using var server = await ServerProcess.StartAsync(_h.Db("plain"), Harness.StartTimeout);
        await server.Client.CreateStudyAsync(new CreateStudyRequest { StudyId = "plain", Spec = Harness.Grid(LastAxis) }, cancellationToken: ct);
        var workers = Enumerable.Range(0, Workers).Select(i => new WorkLoop($"p{i}", "plain", 8, Harness.Objective, _ => Task.FromResult(server.Client))).ToList();
        await Task.WhenAll(workers.Select(w => Task.Run(() => w.RunAsync(ct), ct))).WaitAsync(TimeSpan.FromSeconds(60), ct);
        var trials = await KillTests.ListAllTrialsAsync(server.Client, "plain", ct);
        Assert.Equal(10 * 10 * LastAxis, trials.Count);
        Assert.All(trials, t => Assert.Equal(TrialState.Completed, t.State));
        return trials.ToDictionary(Harness.Key, t => (t.State, t.Values["y"]));
    }
}
