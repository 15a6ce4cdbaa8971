using Google.Protobuf.WellKnownTypes;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Testing;

namespace OptimizerGrpc.EndToEnd.Tests.Reliability;

/// <summary>
/// A worker dies holding trials: it disconnects, or it stays connected but stops heartbeating (a hung process). Its
/// trials go to another worker within the lease (1 s here) plus the sweep interval.
/// </summary>
[Collection(ReliabilitySuite.Name)]
public sealed class WorkerDeathTests : IDisposable
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(1);
    private readonly Harness _h = new();

    public void Dispose() => _h.Dispose();

    [Theory(Timeout = 60_000)]
    [InlineData(true)]
    [InlineData(false)]
    public async Task DeadWorker_HoldingTrials_TheyGoToAnotherWorkerWithinTheLease(bool disconnects)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(55));
        var ct = cts.Token;
        using var server = await ServerProcess.StartAsync(_h.Db("death"), Harness.StartTimeout);
        var spec = KillTests.Spec(2, 8, 21);
        spec.LeaseDuration = Duration.FromTimeSpan(Lease);
        await server.Client.CreateStudyAsync(new CreateStudyRequest { StudyId = "death", Spec = spec }, cancellationToken: ct);

        // The doomed worker takes every trial of the study.
        var doomed = server.Client.Work(cancellationToken: ct);
        await doomed.RequestStream.WriteAsync(new WorkRequest { Hello = new WorkerHello { WorkerId = "doomed", Capacity = 8, StudyIds = { "death" } } }, ct);
        var held = new List<TrialAssignment>();
        while (held.Count < 8 && await doomed.ResponseStream.MoveNext(ct))
        {
            if (doomed.ResponseStream.Current.KindCase == WorkResponse.KindOneofCase.Assignments)
            {
                held.AddRange(doomed.ResponseStream.Current.Assignments.Assignments);
            }
        }

        if (disconnects)
        {
            doomed.Dispose();
        }

        var expires = held.Max(a => a.LeaseExpireTime.ToDateTimeOffset());
        var received = new Dictionary<long, (int Attempt, DateTimeOffset At)>();
        var rescuer = new WorkLoop("rescuer", "death", 8, KillTests.Objective, _ => Task.FromResult(server.Client), a =>
        {
            lock (received)
            {
                received[a.TrialNumber] = (a.Attempt, DateTimeOffset.UtcNow);
            }
        });
        await rescuer.RunAsync(ct).WaitAsync(TimeSpan.FromSeconds(30), ct);

        Assert.Equal(held.Select(a => a.Trial.Number).Order(), received.Keys.Order());
        Assert.All(received.Values, r => Assert.Equal(2, r.Attempt));
        var late = received.Values.Max(r => r.At) - expires;
        // Lease sweep every 250 ms; the rest is a commit and a loopback round trip.
        Assert.True(late < TimeSpan.FromSeconds(1.5), $"the last trial reached the other worker {late.TotalMilliseconds:F0} ms after the lease expired");
        var study = (await server.Client.GetStudyAsync(new GetStudyRequest { StudyId = "death" }, cancellationToken: ct)).Study;
        Assert.Equal(StudyState.Completed, study.State);
        Assert.Equal(8, study.Counts.Completed);
        if (!disconnects)
        {
            doomed.Dispose();
        }

        await Harness.AssertHealthyAsync(server);
    }
}
