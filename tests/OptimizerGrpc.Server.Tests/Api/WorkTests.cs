using Grpc.Core;
using OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Server.Tests.Api;

public sealed class WorkTests
{
    [Fact]
    public async Task Work_CapacityThree_NeverMoreThanThreeInFlightAcksAcceptedAndStudyDone()
    {
        await using var host = await TestServerHost.StartAsync();
        await host.Client.CreateAsync("work", Specs.Grid(10));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var call = host.Client.Work(cancellationToken: cts.Token);
        await call.RequestStream.WriteAsync(new WorkRequest { Hello = new WorkerHello { WorkerId = "wk", Capacity = 3, StudyIds = { "work" } } });
        var responses = call.ResponseStream;

        Assert.True(await responses.MoveNext(cts.Token));
        Assert.Equal(WorkResponse.KindOneofCase.Welcome, responses.Current.KindCase);
        Assert.Equal(TimeSpan.FromSeconds(5), responses.Current.Welcome.HeartbeatInterval.ToTimeSpan());

        var inFlight = new List<Trial>();
        var assigned = new HashSet<long>();
        var acks = new List<ResultAck>();
        StudyDone? done = null;
        while (done is null && await responses.MoveNext(cts.Token))
        {
            var message = responses.Current;
            switch (message.KindCase)
            {
                case WorkResponse.KindOneofCase.Assignments:
                    foreach (var a in message.Assignments.Assignments)
                    {
                        Assert.True(assigned.Add(a.Trial.Number), $"trial {a.Trial.Number} assigned twice");
                        Assert.Equal(a.Trial.LeaseExpireTime, a.LeaseExpireTime);
                        inFlight.Add(a.Trial);
                    }

                    Assert.InRange(inFlight.Count, 1, 3);
                    // Report in batches once the worker is full (or the grid has nothing more to give).
                    if (inFlight.Count == 3 || assigned.Count == 10)
                    {
                        var results = new TrialResults();
                        results.Results.AddRange(inFlight.Select(t => new TrialResult
                        {
                            StudyId = t.StudyId, TrialNumber = t.Number, Attempt = t.Attempt, Outcome = Specs.Value(t.Number),
                        }));
                        inFlight.Clear();
                        await call.RequestStream.WriteAsync(new WorkRequest { Results = results });
                    }

                    break;
                case WorkResponse.KindOneofCase.Acks:
                    acks.AddRange(message.Acks.Acks);
                    break;
                case WorkResponse.KindOneofCase.StudyDone:
                    done = message.StudyDone;
                    break;
                default:
                    Assert.Fail($"unexpected {message.KindCase}");
                    break;
            }
        }

        Assert.NotNull(done);
        // The study completes when the last result is applied, so study_done may overtake that result's ack.
        while (acks.Count < 10 && await responses.MoveNext(cts.Token))
        {
            Assert.Equal(WorkResponse.KindOneofCase.Acks, responses.Current.KindCase);
            acks.AddRange(responses.Current.Acks.Acks);
        }

        Assert.Equal(("work", StudyState.Completed), (done.StudyId, done.State));
        Assert.Equal(10, assigned.Count);
        Assert.Equal(10, acks.Count);
        Assert.All(acks, a => Assert.Equal(TellStatus.Accepted, a.Status));
        await call.RequestStream.CompleteAsync();
        Assert.False(await responses.MoveNext(cts.Token));
        var study = await host.Client.GetAsync("work");
        Assert.Equal(new TrialCounts { Completed = 10 }, study.Counts);
        Assert.Equal(9, study.BestTrial.Number);
    }

    [Fact]
    public async Task Work_FirstMessageNotHello_InvalidArgument()
    {
        await using var host = await TestServerHost.StartAsync();
        using var call = host.Client.Work();

        await call.RequestStream.WriteAsync(new WorkRequest { Heartbeat = new WorkerHeartbeat() });
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
    }
}
