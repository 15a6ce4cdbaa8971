using Grpc.Core;
using V1 = OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Client.Tests;

public sealed class OptimizerWorkerTests
{
    private static readonly WorkerOptions Options = new()
    {
        WorkerId = "w1", Capacity = 2, InitialReconnectDelay = TimeSpan.FromMilliseconds(1), MaxReconnectDelay = TimeSpan.FromMilliseconds(5),
    };

    private static V1.WorkResponse Assignment(long number) => new()
    {
        Assignment = new V1.TrialAssignment
        {
            Trial = new V1.Trial { StudyId = "s", Number = number, Attempt = 1, Params = { ["ma.fast"] = new V1.ParameterValue { IntValue = number * 10 } } },
        },
    };

    private static V1.WorkResponse Ack(V1.TrialResult result) => new()
    {
        Ack = new V1.ResultAck
        {
            Trial = new V1.TrialRef { StudyId = result.StudyId, TrialNumber = result.TrialNumber, Attempt = result.Attempt },
            Status = V1.TellStatus.Accepted,
        },
    };

    private static readonly V1.WorkResponse Welcome = new() { Welcome = new V1.WorkerWelcome() };

    private static readonly V1.WorkResponse Done = new() { StudyDone = new V1.StudyDone { StudyId = "s", State = V1.StudyState.Completed } };

    [Fact]
    public async Task RunAsync_EvaluatesAssignmentsAndReturnsWhenStudyDone()
    {
        var server = new FakeWorkServer();
        var worker = new OptimizerWorker(server, ["s"], (trial, _) => trial.Number == 2
            ? throw new InvalidOperationException("bad bar")
            : Task.FromResult(TrialOutcome.FromValues(("sharpe_ratio", trial["ma.fast"].AsDouble()))), Options);

        var run = worker.RunAsync();
        var call = await server.NextCallAsync();
        var hello = (await call.ReceiveAsync()).Hello;
        call.Send(Welcome);
        call.Send(Assignment(1));
        call.Send(Assignment(2));
        var results = new[] { (await call.ReceiveAsync()).Result, (await call.ReceiveAsync()).Result }.OrderBy(r => r.TrialNumber).ToArray();
        call.Send(Ack(results[0]));
        call.Send(Ack(results[1]));
        call.Send(Done);
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(("w1", 2), (hello.WorkerId, hello.Capacity));
        Assert.Equal(["s"], hello.StudyIds);
        Assert.Equal(10, results[0].Outcome.Values["sharpe_ratio"]);
        Assert.NotNull(results[0].Outcome.Duration);
        Assert.Equal(("bad bar", "System.InvalidOperationException"), (results[1].Outcome.Error.Message, results[1].Outcome.Error.Type));
        Assert.Equal(new WorkerCounters(2, 1, 0, 0, 0), worker.Counters);
    }

    [Fact]
    public async Task RunAsync_StreamDropsBeforeAck_ReconnectsAndResendsResult()
    {
        var server = new FakeWorkServer();
        var worker = new OptimizerWorker(server, ["s"], (_, _) => Task.FromResult(TrialOutcome.FromValues(("x", 1))), Options);

        var run = worker.RunAsync();
        var first = await server.NextCallAsync();
        await first.ReceiveAsync();
        first.Send(Welcome);
        first.Send(Assignment(7));
        var sent = (await first.ReceiveAsync()).Result;
        first.Drop(StatusCode.Unavailable);

        var second = await server.NextCallAsync();
        var hello = await second.ReceiveAsync();
        var resent = (await second.ReceiveAsync()).Result;
        second.Send(Welcome);
        second.Send(Ack(resent));
        second.Send(Done);
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(V1.WorkRequest.KindOneofCase.Hello, hello.KindCase);
        Assert.Equal(sent, resent);
        Assert.Equal(1, worker.Counters.Reconnects);
    }

    [Fact]
    public async Task RunAsync_Cancelled_ThrowsOperationCanceledAndCancelsEvaluation()
    {
        var server = new FakeWorkServer();
        var evaluationCancelled = new TaskCompletionSource();
        var worker = new OptimizerWorker(server, ["s"], async (_, token) =>
        {
            await using var registration = token.Register(() => evaluationCancelled.TrySetResult());
            await Task.Delay(Timeout.Infinite, token);
            return TrialOutcome.FromValues(("x", 1));
        }, Options);
        using var cts = new CancellationTokenSource();

        var run = worker.RunAsync(cts.Token);
        var call = await server.NextCallAsync();
        await call.ReceiveAsync();
        call.Send(Welcome);
        call.Send(Assignment(1));
        while (worker.Counters.Running == 0)
        {
            await Task.Delay(5);
        }

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(10)));
        await evaluationCancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, worker.Counters.Evaluated);
    }

    [Fact]
    public void Constructor_InvalidOptions_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new OptimizerWorker(new FakeWorkServer(), ["s"], (_, _) => Task.FromResult(TrialOutcome.Failure("x")), Options with { Capacity = 0 }));
        Assert.Throws<ArgumentException>(() => new OptimizerWorker(new FakeWorkServer(), [], (_, _) => Task.FromResult(TrialOutcome.Failure("x")), Options));
    }
}
