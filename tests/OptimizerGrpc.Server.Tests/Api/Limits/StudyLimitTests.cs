using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Server.Tests.Api.Limits;

/// <summary>The number of studies and the size of every string and list of a spec are bounded.</summary>
public sealed class StudyLimitTests
{
    [Fact]
    public async Task CreateStudy_BeyondMaxStudies_ResourceExhausted_DeleteMakesRoom()
    {
        await using var host = await TestServerHost.StartAsync(o => o.MaxStudies = 2);
        await host.Client.CreateAsync("a", Specs.Random(10));
        await host.Client.CreateAsync("b", Specs.Random(10));

        var refused = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateAsync("c", Specs.Random(10)));
        var repeat = await host.Client.CreateStudyAsync(new CreateStudyRequest { StudyId = "a", Spec = Specs.Random(10) });
        await host.Client.DeleteStudyAsync(new DeleteStudyRequest { StudyId = "a" });
        await host.RestartAsync(); // the count includes studies not restored since the start
        var created = await host.Client.CreateAsync("c", Specs.Random(10));
        var refusedAfterRestart = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateAsync("d", Specs.Random(10)));

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.False(repeat.Created); // an idempotent repeat is not a new study
        Assert.Equal("c", created.StudyId);
        Assert.Equal(StatusCode.ResourceExhausted, refusedAfterRestart.StatusCode);
    }

    [Fact]
    public async Task CreateStudy_OversizedStringsAndLists_InvalidArgumentNamingEachField_WithoutQuotingThem()
    {
        await using var host = await TestServerHost.StartAsync();
        var spec = Specs.Random(10);
        string huge = new('x', 1_000_000);
        spec.DisplayName = huge;
        spec.Labels["team"] = huge;
        spec.Targets[0].Name = huge;
        var categorical = new Parameter { Name = "c", Categorical = new Categorical() };
        categorical.Categorical.Choices.AddRange(Enumerable.Range(0, 10_001).Select(i => "c" + i));
        spec.Targets[0].Parameters.Add(categorical);
        spec.Objectives.AddRange(Enumerable.Range(0, 20).Select(_ => new Objective { Metric = Specs.Metric }));
        spec.LeaseDuration = Duration.FromTimeSpan(TimeSpan.FromDays(2));

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateAsync("s", spec));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var fields = error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations.Select(f => f.Field).ToList();
        Assert.Equal(
            ["spec.display_name", "spec.labels", "spec.targets[0].name", "spec.targets[0].parameters[2].categorical.choices", "spec.objectives", "spec.lease_duration"],
            fields);
        Assert.True(error.Status.Detail.Length < 2000, "the message quotes no user input");
        Assert.Empty((await host.Client.ListStudiesAsync(new ListStudiesRequest())).Studies);
    }

    [Fact]
    public async Task CreateStudy_TooManyTargetsAndRegimeLabels_InvalidArgument()
    {
        await using var host = await TestServerHost.StartAsync();
        var spec = Specs.Random(10);
        spec.Targets.AddRange(Enumerable.Range(0, 64).Select(i => Specs.Target("t" + i, Specs.Int("p" + i, 0, 1))));
        spec.Data = new DataDescription { Name = "d", BarCount = 1_000_001 };
        spec.Data.RegimeLabels.AddRange(new int[1_000_001]);

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateAsync("s", spec));

        var fields = error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations.Select(f => f.Field).ToList();
        Assert.Equal(["spec.targets", "spec.data.regime_labels"], fields);
    }
}
