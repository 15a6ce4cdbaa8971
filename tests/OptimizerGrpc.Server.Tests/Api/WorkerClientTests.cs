using Grpc.Core;
using OptimizerGrpc.Client;
using V1 = OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Server.Tests.Api;

/// <summary>The C# client's <see cref="OptimizerWorker"/> and <see cref="OptimizerClient"/> against the real server.</summary>
public sealed class WorkerClientTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Worker_WholeGrid_StudyCompletesWithTheFunctionsBest()
    {
        await using var host = await TestServerHost.StartAsync();
        var client = new OptimizerClient(host.Channel);
        var study = (await client.CreateStudyAsync(Specs.Grid(20), studyId: "grid-worker")).Study;
        var worker = new OptimizerWorker(client, [study.StudyId], (trial, _) =>
            Task.FromResult(TrialOutcome.FromValues((Specs.Metric, -Math.Pow(trial["ma.fast"].AsInt64() - 7, 2)))),
            new WorkerOptions { Capacity = 4 });

        await worker.RunAsync().WaitAsync(Limit);

        var result = await client.GetStudyResultAsync(study.StudyId);
        Assert.Equal(StudyState.Completed, result.Study.State);
        Assert.Equal(20, result.Study.Counts.Completed);
        Assert.Equal(20, worker.Counters.Evaluated);
        var best = result.TargetResults.Single(t => t.Target == "ma");
        Assert.Equal(7, best.BestParams["fast"].AsInt64());
        Assert.Equal(0.0, best.BestScore);
    }

    [Theory]
    [InlineData("random")]
    [InlineData("genetic")]
    [InlineData("particle_swarm")]
    [InlineData("bayesian")]
    public async Task Worker_EachMethodOnAConstrainedSpace_CompletesBeatsTheStartAndNeverViolates(string method)
    {
        await using var host = await TestServerHost.StartAsync();
        var client = new OptimizerClient(host.Channel);
        var spec = new StudyBuilder(method)
            .Target("f", t => t.Float("x", -3, 3).Float("y", -3, 3).Int("n", 1, 5))
            .Maximize(Specs.Metric)
            .Relationship("f.x + f.y <= 2")
            .Seed(5)
            .MaxTrials(60);
        spec = method switch
        {
            "genetic" => spec.Genetic(populationSize: 12, generations: 5),
            "particle_swarm" => spec.ParticleSwarm(swarmSize: 10, iterations: 6),
            "bayesian" => spec.Bayesian(initialTrials: 10),
            _ => spec.RandomSearch(),
        };
        var study = (await client.CreateStudyAsync(spec)).Study;
        var worker = new OptimizerWorker(client, [study.StudyId], (trial, _) =>
        {
            double x = trial["f.x"].AsDouble(), y = trial["f.y"].AsDouble();
            return Task.FromResult(TrialOutcome.FromValues((Specs.Metric, -((x - 1) * (x - 1)) - ((y - 0.5) * (y - 0.5)) - (0.1 * trial["f.n"].AsInt64()))));
        }, new WorkerOptions { Capacity = 4 });

        await worker.RunAsync().WaitAsync(Limit);

        var trials = await client.ListTrialsAsync(study.StudyId).ToListAsync();
        Assert.Equal(StudyState.Completed, (await client.GetStudyAsync(study.StudyId)).State);
        Assert.All(trials, t => Assert.True(t["f.x"].AsDouble() + t["f.y"].AsDouble() <= 2 + 1e-12));
        var best = (await client.GetStudyResultAsync(study.StudyId)).BestTrial!;
        Assert.Equal(trials.Max(t => t.Values[Specs.Metric]), best.Values[Specs.Metric]);
        Assert.True(best.Values[Specs.Metric] > trials.OrderBy(t => t.Number).First().Values[Specs.Metric] || best.Number == 0);
    }

    [Fact]
    public async Task Worker_FunctionThrows_TrialFailedWithTheMessageOthersComplete()
    {
        await using var host = await TestServerHost.StartAsync();
        var client = new OptimizerClient(host.Channel);
        var study = (await client.CreateStudyAsync(Specs.Grid(6))).Study;
        var worker = new OptimizerWorker(client, [study.StudyId], (trial, _) =>
            trial["ma.fast"].AsInt64() == 3
                ? throw new InvalidOperationException("backtest blew up on bar 17")
                : Task.FromResult(TrialOutcome.FromValues((Specs.Metric, 1.0))),
            new WorkerOptions { Capacity = 2 });

        await worker.RunAsync().WaitAsync(Limit);

        var trials = await client.ListTrialsAsync(study.StudyId).ToListAsync();
        var failed = Assert.Single(trials, t => t.State == TrialState.Failed);
        Assert.Equal(3, failed["ma.fast"].AsInt64());
        Assert.Contains("backtest blew up on bar 17", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("InvalidOperationException", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(5, trials.Count(t => t.State == TrialState.Completed));
        Assert.Equal(1, worker.Counters.Failed);
    }

    [Fact]
    public async Task Worker_ServerRestartsMidStudy_ReconnectsAndFinishesWithNothingCountedTwice()
    {
        await using var host = await TestServerHost.StartAsync();
        var invoker = new CurrentChannelInvoker(host);
        var client = new OptimizerClient(invoker);
        var study = (await client.CreateStudyAsync(Specs.Grid(30))).Study;
        var firstBatchSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var worker = new OptimizerWorker(invoker, [study.StudyId], async (trial, ct) =>
        {
            if (trial.Number < 3)
            {
                // Hold the first trials until the server has been restarted under them.
                firstBatchSeen.TrySetResult();
                await release.Task.WaitAsync(ct);
            }

            return TrialOutcome.FromValues((Specs.Metric, trial["ma.fast"].AsInt64()));
        }, new WorkerOptions { Capacity = 3, InitialReconnectDelay = TimeSpan.FromMilliseconds(20), MaxReconnectDelay = TimeSpan.FromMilliseconds(200) });

        var run = worker.RunAsync();
        await firstBatchSeen.Task.WaitAsync(Limit);
        await host.RestartAsync();
        release.SetResult();
        await run.WaitAsync(Limit);

        Assert.True(worker.Counters.Reconnects >= 1);
        var after = await client.GetStudyAsync(study.StudyId);
        Assert.Equal(StudyState.Completed, after.State);
        Assert.Equal(30, after.Counts.Completed);
        var trials = await client.ListTrialsAsync(study.StudyId).ToListAsync();
        Assert.Equal(30, trials.Select(t => t.Number).Distinct().Count());
        Assert.All(trials.Where(t => t.Number < 3), t => Assert.True(t.Attempt >= 2, $"trial {t.Number} attempt {t.Attempt}"));
    }

    /// <summary>Sends each call to the host's current channel, so a client survives the host's restart like a real one.</summary>
    private sealed class CurrentChannelInvoker(TestServerHost host) : CallInvoker
    {
        // Between stop and start there is no server: a real client would see UNAVAILABLE.
        private CallInvoker Current => (host.ChannelOrNull ?? throw new RpcException(new Status(StatusCode.Unavailable, "the server is restarting"))).CreateCallInvoker();

        public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? hostName, CallOptions options, TRequest request) =>
            Current.BlockingUnaryCall(method, hostName, options, request);

        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? hostName, CallOptions options, TRequest request) =>
            Current.AsyncUnaryCall(method, hostName, options, request);

        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? hostName, CallOptions options, TRequest request) =>
            Current.AsyncServerStreamingCall(method, hostName, options, request);

        public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? hostName, CallOptions options) =>
            Current.AsyncClientStreamingCall(method, hostName, options);

        public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? hostName, CallOptions options) =>
            Current.AsyncDuplexStreamingCall(method, hostName, options);
    }
}
