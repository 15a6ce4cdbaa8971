using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Testing;

namespace OptimizerGrpc.EndToEnd.Tests.Reliability;

/// <summary>
/// 64 Work-stream workers over four studies for a bounded time: no error, nothing lost (every trial handed out is
/// either stored with its result or back in the queue), and the server's memory stays flat.
/// </summary>
[Collection(ReliabilitySuite.Name)]
public sealed class ConcurrentWorkersTests : IDisposable
{
    private const int WorkerCount = 64;
    private const int StudyCount = 4;
    private static readonly TimeSpan RunFor = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(2);

    /// <summary>Allowed RSS growth from the end of the warm-up to the end of the run.</summary>
    private const double MaxRssGrowthMb = 100;

    private readonly Harness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact(Timeout = 120_000)]
    public async Task SixtyFourWorkers_FourStudies_NoErrorNothingLostMemoryFlat()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(110));
        var ct = cts.Token;
        using var server = await ServerProcess.StartAsync(_h.Db("many"), Harness.StartTimeout);
        var studies = Enumerable.Range(0, StudyCount).Select(i => $"s{i}").ToList();
        foreach (var id in studies)
        {
            var spec = KillTests.Spec(3, 100_000_000, (ulong)id.GetHashCode(StringComparison.Ordinal));
            spec.LeaseDuration = Duration.FromTimeSpan(Lease);
            await server.Client.CreateStudyAsync(new CreateStudyRequest { StudyId = id, Spec = spec }, cancellationToken: ct);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var workers = Enumerable.Range(0, WorkerCount)
            .Select(i => new TimedWorker($"w{i}", [studies[i % StudyCount], studies[(i + 1) % StudyCount]], 4))
            .ToList();
        var running = workers.Select(w => Task.Run(() => w.RunAsync(server.Client, stop.Token), ct)).ToList();

        await Task.Delay(Warmup, ct);
        double rssWarm = server.RssMb();
        await Task.Delay(RunFor - Warmup, ct);
        double rssEnd = server.RssMb();
        await Harness.AssertHealthyAsync(server);
        await stop.CancelAsync();
        await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(20), ct);

        Assert.All(workers, w => Assert.True(w.Error is null, $"{w.Id}: {w.Error}"));
        Assert.All(workers, w => Assert.True(w.Accepted.Count > 0, $"{w.Id} had no result accepted"));
        Assert.All(workers, w => Assert.DoesNotContain(w.Statuses, s => s is TellStatus.Rejected or TellStatus.Unspecified));

        // After the lease, every trial still held by a stopped worker is back in the queue.
        await Task.Delay(Lease + TimeSpan.FromSeconds(1), ct);
        long total = 0;
        foreach (var id in studies)
        {
            var counts = (await server.Client.GetStudyAsync(new GetStudyRequest { StudyId = id }, cancellationToken: ct)).Study.Counts;
            var trials = await KillTests.ListAllTrialsAsync(server.Client, id, ct);
            var byNumber = trials.ToDictionary(t => t.Number);
            Assert.Equal(0, counts.Running);
            Assert.Equal(trials.Count, counts.Pending + counts.Completed + counts.Failed + counts.Infeasible + counts.Pruned);
            Assert.Equal(0, counts.Failed + counts.Infeasible + counts.Pruned);

            var accepted = workers.SelectMany(w => w.Accepted).Where(a => a.Study == id).ToList();
            Assert.Equal(accepted.Count, accepted.Select(a => a.Number).Distinct().Count());
            Assert.All(accepted, a => Assert.Equal(TrialState.Completed, byNumber[a.Number].State));

            // Completed = accepted + results sent whose ack the stop cut off; every other trial handed out is pending.
            var unacked = workers.SelectMany(w => w.Unacked).Where(a => a.Study == id).Select(a => a.Number).ToHashSet();
            Assert.InRange(counts.Completed, accepted.Count, accepted.Count + unacked.Count);
            Assert.All(workers.SelectMany(w => w.Handed).Where(a => a.Study == id), a =>
                Assert.Contains(byNumber[a.Number].State, new[] { TrialState.Completed, TrialState.Pending }));
            total += counts.Completed;
        }

        Assert.True(total > 1000, $"only {total} trials completed in {RunFor.TotalSeconds} s");
        double growth = rssEnd - rssWarm;
        Assert.True(growth < MaxRssGrowthMb, $"server RSS grew {growth:F0} MiB ({rssWarm:F0} -> {rssEnd:F0}) under load");
        await Harness.AssertHealthyAsync(server);
    }

    /// <summary>A Work-stream worker that answers every assignment at once until stopped, recording what happened.</summary>
    private sealed class TimedWorker(string id, string[] studies, int capacity)
    {
        private readonly Dictionary<(string, long, int), bool> _unacked = [];

        public string Id => id;

        public Exception? Error { get; private set; }

        public List<(string Study, long Number)> Accepted { get; } = [];

        public List<(string Study, long Number)> Handed { get; } = [];

        public List<TellStatus> Statuses { get; } = [];

        public IEnumerable<(string Study, long Number)> Unacked => _unacked.Keys.Select(k => (k.Item1, k.Item2));

        public async Task RunAsync(OptimizerService.OptimizerServiceClient client, CancellationToken stop)
        {
            try
            {
                using var call = client.Work(cancellationToken: stop);
                var hello = new WorkerHello { WorkerId = id, Capacity = capacity };
                hello.StudyIds.AddRange(studies);
                await call.RequestStream.WriteAsync(new WorkRequest { Hello = hello }, stop);
                while (await call.ResponseStream.MoveNext(stop))
                {
                    var response = call.ResponseStream.Current;
                    if (response.KindCase == WorkResponse.KindOneofCase.Assignments)
                    {
                        var results = new TrialResults();
                        foreach (var a in response.Assignments.Assignments)
                        {
                            Handed.Add((a.Trial.StudyId, a.Trial.Number));
                            _unacked[(a.Trial.StudyId, a.Trial.Number, a.Trial.Attempt)] = true;
                            results.Results.Add(new TrialResult
                            {
                                StudyId = a.Trial.StudyId, TrialNumber = a.Trial.Number, Attempt = a.Trial.Attempt,
                                Outcome = new TrialOutcome { Values = { ["y"] = KillTests.Objective(a.Trial) } },
                            });
                        }

                        await call.RequestStream.WriteAsync(new WorkRequest { Results = results }, stop);
                    }
                    else if (response.KindCase == WorkResponse.KindOneofCase.Acks)
                    {
                        foreach (var ack in response.Acks.Acks)
                        {
                            _unacked.Remove((ack.Trial.StudyId, ack.Trial.TrialNumber, ack.Trial.Attempt));
                            Statuses.Add(ack.Status);
                            if (ack.Status == TellStatus.Accepted)
                            {
                                Accepted.Add((ack.Trial.StudyId, ack.Trial.TrialNumber));
                            }
                        }
                    }
                }

                Error = new InvalidOperationException("the server ended the Work stream");
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                // Stopped by the test: a cancel racing a read can surface as CANCELLED, UNAVAILABLE ("the request was
                // aborted") or OperationCanceledException; none is a server error.
            }
            catch (Exception ex)
            {
                Error = ex;
            }
        }
    }
}
