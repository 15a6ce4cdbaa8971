using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Server.Tests.Api;

/// <summary>
/// A study whose first trials all fail stops as FAILED with the most common reasons (failure_budget, default 10), and a
/// study stored before the budget existed keeps running as it did.
/// </summary>
public sealed class FailureBudgetTests
{
    private static TrialOutcome Error(string message) => new() { Error = new TrialError { Type = "builtins.AttributeError", Message = message } };

    private static async Task FailTrialsAsync(TestServerHost host, string id, int count, Func<int, string> message)
    {
        for (int i = 0; i < count; i++)
        {
            var trials = await host.Client.AskAsync(id, 1);
            Assert.Single(trials);
            await host.Client.TellAsync(trials[0], Error(message(i)));
        }
    }

    [Fact]
    public async Task CreateStudy_BudgetUnset_StoresTheDefaultAndStaysIdempotent()
    {
        await using var host = await TestServerHost.StartAsync();

        var study = await host.Client.CreateAsync("b", Specs.Random(50));
        var again = await host.Client.CreateStudyAsync(new CreateStudyRequest { StudyId = "b", Spec = Specs.Random(50) });

        Assert.True(study.Spec.HasFailureBudget);
        Assert.Equal(10, study.Spec.FailureBudget);
        Assert.False(again.Created);
    }

    [Fact]
    public async Task Tell_TenFailuresAndNoSuccess_StudyFailsWithTheMostCommonReasons()
    {
        await using var host = await TestServerHost.StartAsync();
        await host.Client.CreateAsync("f", Specs.Random(50));
        using var watch = host.Client.WatchStudy(new WatchStudyRequest { StudyId = "f" });

        await FailTrialsAsync(host, "f", 10, i => i < 7
            ? "'MyRule' object has no attribute 'generate_positions'\nTraceback (most recent call last): line " + i
            : "trade 0 has no pnl");

        var study = await host.Client.GetAsync("f");
        Assert.Equal(StudyState.Failed, study.State);
        Assert.Equal(
            "10 trials failed and none completed (failure budget 10); most common: " +
            "7 x client error: builtins.AttributeError: 'MyRule' object has no attribute 'generate_positions'; " +
            "3 x client error: builtins.AttributeError: trade 0 has no pnl",
            study.StateReason);
        Assert.Equal(
            [("client error: builtins.AttributeError: 'MyRule' object has no attribute 'generate_positions'", 7L), ("client error: builtins.AttributeError: trade 0 has no pnl", 3L)],
            study.FailureReasons.Select(f => (f.Reason, f.Count)));
        Assert.Empty(await host.Client.AskAsync("f", 1));
        var listed = (await host.Client.ListStudiesAsync(new ListStudiesRequest())).Studies.Single();
        Assert.Equal(study.FailureReasons, listed.FailureReasons);

        StudyStateChanged? failed = null;
        while (failed is null && await watch.ResponseStream.MoveNext(CancellationToken.None))
        {
            if (watch.ResponseStream.Current.Event.StudyStateChanged is { State: StudyState.Failed } changed)
            {
                failed = changed;
            }
        }

        Assert.Equal(study.FailureReasons, failed!.FailureReasons);
        Assert.Equal(study.StateReason, failed.Reason);
    }

    [Fact]
    public async Task Tell_FailuresAfterASuccess_StudyKeepsRunning()
    {
        await using var host = await TestServerHost.StartAsync();
        await host.Client.CreateAsync("ok", Specs.Random(30));
        var first = (await host.Client.AskAsync("ok", 1)).Single();
        await host.Client.TellAsync(first, Specs.Value(1));

        await FailTrialsAsync(host, "ok", 15, _ => "flaky");

        var study = await host.Client.GetAsync("ok");
        Assert.Equal(StudyState.Running, study.State);
        Assert.Equal([("client error: builtins.AttributeError: flaky", 15L)], study.FailureReasons.Select(f => (f.Reason, f.Count)));
    }

    [Fact]
    public async Task Tell_BudgetZero_CheckIsOff()
    {
        await using var host = await TestServerHost.StartAsync();
        var spec = Specs.Random(30);
        spec.FailureBudget = 0;
        await host.Client.CreateAsync("off", spec);

        await FailTrialsAsync(host, "off", 20, _ => "broken");

        Assert.Equal(StudyState.Running, (await host.Client.GetAsync("off")).State);
    }

    [Fact]
    public async Task Tell_BudgetThree_FailsAfterThreeAndPrunesPendingTrials()
    {
        await using var host = await TestServerHost.StartAsync();
        var spec = Specs.Random(30);
        spec.FailureBudget = 3;
        await host.Client.CreateAsync("three", spec);
        var trials = await host.Client.AskAsync("three", 4);

        foreach (var trial in trials.Take(3))
        {
            await host.Client.TellAsync(trial, Error("broken"));
        }

        var study = await host.Client.GetAsync("three");
        Assert.Equal(StudyState.Failed, study.State);
        Assert.Equal(3, study.Counts.Failed);
        Assert.Equal(1, study.Counts.Running); // a running trial's result is still accepted
        Assert.Equal(TellStatus.Accepted, (await host.Client.TellAsync(trials[3], Specs.Value(2))).Status);
    }

    [Fact]
    public async Task CreateStudy_BudgetOutOfRange_InvalidArgumentNamingTheField()
    {
        await using var host = await TestServerHost.StartAsync();
        var spec = Specs.Random(30);
        spec.FailureBudget = -1;

        var ex = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateStudyAsync(new CreateStudyRequest { Spec = spec }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(["spec.failure_budget"], ValidationAsserts.Violations(ex));
        Assert.Equal("must be between 0 (off) and 1000000, got -1", ex.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations.Single().Description);
    }

    [Fact]
    public async Task Restart_SpecStoredBeforeTheBudget_ResumesWithoutTheCheck()
    {
        await using var host = await TestServerHost.StartAsync();
        var created = await host.Client.CreateAsync("old", Specs.Random(40));
        var old = created.Spec.Clone();
        old.ClearFailureBudget(); // as a server before the field stored it
        await host.ExecuteAsync($"UPDATE studies SET spec = X'{Convert.ToHexString(old.ToByteArray())}' WHERE study_id = 'old'");
        await host.RestartAsync();

        await FailTrialsAsync(host, "old", 12, _ => "broken");

        var study = await host.Client.GetAsync("old");
        Assert.Equal(StudyState.Running, study.State);
        Assert.False(study.Spec.HasFailureBudget);
        Assert.Equal(12, study.FailureReasons.Single().Count);
    }

    [Fact]
    public async Task Restart_AfterFailures_TallySurvives()
    {
        await using var host = await TestServerHost.StartAsync();
        await host.Client.CreateAsync("kept", Specs.Random(40));
        await FailTrialsAsync(host, "kept", 4, _ => "broken");

        await host.RestartAsync();
        await FailTrialsAsync(host, "kept", 6, _ => "broken");

        var study = await host.Client.GetAsync("kept");
        Assert.Equal(StudyState.Failed, study.State);
        Assert.Equal(10, study.FailureReasons.Single().Count);
    }
}
