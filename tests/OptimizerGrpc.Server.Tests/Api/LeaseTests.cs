using OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Server.Tests.Api;

public sealed class LeaseTests
{
    [Fact]
    public async Task LeaseExpiry_ClockPastLease_TrialRequeuedToOtherWorkerAndLateTellExpired()
    {
        await using var host = await TestServerHost.StartAsync();
        var client = host.Client;
        await client.CreateAsync("lease", Specs.Grid(1, lease: TimeSpan.FromSeconds(10)));
        var a = Assert.Single(await client.AskAsync("lease", 1, "worker-a"));
        Assert.Equal(1, a.Attempt);

        host.Clock.Advance(TimeSpan.FromSeconds(11));
        await host.SweepAsync();

        var requeued = Assert.Single((await client.ListTrialsAsync(new ListTrialsRequest { StudyId = "lease" })).Trials);
        Assert.Equal(TrialState.Pending, requeued.State);
        Assert.Equal(2, requeued.Attempt);
        var b = Assert.Single(await client.AskAsync("lease", 1, "worker-b"));
        Assert.Equal((a.Number, 2, "worker-b"), (b.Number, b.Attempt, b.WorkerId));
        Assert.Equal(TellStatus.Accepted, (await client.TellAsync(b, Specs.Value(2), worker: "worker-b")).Status);

        var late = await client.TellAsync(a, Specs.Value(-5), worker: "worker-a");

        Assert.Equal(TellStatus.Expired, late.Status);
        var study = await client.GetAsync("lease");
        Assert.Equal(new TrialCounts { Completed = 1 }, study.Counts);
        Assert.Equal(2, study.BestTrial.Values[Specs.Metric]);
        Assert.Equal(StudyState.Completed, study.State);
    }

    [Fact]
    public async Task LeaseExpiry_BeforeSweep_TellIsExpiredAndTrialRequeued()
    {
        await using var host = await TestServerHost.StartAsync();
        await host.Client.CreateAsync("strict", Specs.Grid(1, lease: TimeSpan.FromSeconds(10)));
        var a = Assert.Single(await host.Client.AskAsync("strict", 1));

        host.Clock.Advance(TimeSpan.FromSeconds(10));
        var tell = await host.Client.TellAsync(a, Specs.Value(1));

        Assert.Equal(TellStatus.Expired, tell.Status);
        var again = Assert.Single(await host.Client.AskAsync("strict", 1));
        Assert.Equal(2, again.Attempt);
    }

    [Fact]
    public async Task LeaseExpiry_RetryBudgetSpent_TrialFailedWithAttemptsReason()
    {
        await using var host = await TestServerHost.StartAsync();
        await host.Client.CreateAsync("budget", Specs.Grid(1, maxAttempts: 2, lease: TimeSpan.FromSeconds(10)));

        for (int attempt = 1; attempt <= 2; attempt++)
        {
            var trial = Assert.Single(await host.Client.AskAsync("budget", 1));
            Assert.Equal(attempt, trial.Attempt);
            host.Clock.Advance(TimeSpan.FromSeconds(11));
            await host.SweepAsync();
        }

        var failed = Assert.Single((await host.Client.ListTrialsAsync(new ListTrialsRequest { StudyId = "budget" })).Trials);
        Assert.Equal(TrialState.Failed, failed.State);
        Assert.Contains("2 attempts", failed.Reason, StringComparison.Ordinal);
        var study = await host.Client.GetAsync("budget");
        Assert.Equal(new TrialCounts { Failed = 1 }, study.Counts);
        Assert.Null(study.BestTrial);
        Assert.Equal(StudyState.Completed, study.State);
    }
}
