using Google.Rpc;
using Grpc.Core;
using OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Server.Tests.Api;

public sealed class ValidationTests
{
    public static TheoryData<string> InvalidSpecs => new(InvalidSpec.Keys);

    private static readonly Dictionary<string, (Func<StudySpec> Spec, string Field)> InvalidSpec = new()
    {
        ["no targets"] = (() => WithTargets(), "spec.targets"),
        ["target without parameters"] = (() => WithTargets(Specs.Target("ma")), "spec.targets[0].parameters"),
        ["int low above high"] = (() => WithTargets(Specs.Target("ma", Specs.Int("fast", 5, 1))), "spec.targets[0].parameters[0].int_range.low"),
        ["int step zero"] = (() => WithTargets(Specs.Target("ma", Specs.Int("fast", 1, 5, step: 0))), "spec.targets[0].parameters[0].int_range.step"),
        ["float step negative"] = (() => WithTargets(Specs.Target("ma", Specs.Float("k", 0, 1, step: -1))), "spec.targets[0].parameters[0].float_range.step"),
        ["float low above high"] = (() => WithTargets(Specs.Target("ma", Specs.Float("k", 2, 1))), "spec.targets[0].parameters[0].float_range.low"),
        ["log scale with zero low"] = (() => WithTargets(Specs.Target("ma", Specs.Float("k", 0, 1, log: true))), "spec.targets[0].parameters[0].float_range.low"),
        ["log scale with negative low"] = (() => WithTargets(Specs.Target("ma", Specs.Float("k", -1, 1, log: true))), "spec.targets[0].parameters[0].float_range.low"),
        ["duplicate parameter names"] = (() => WithTargets(Specs.Target("ma", Specs.Int("fast", 1, 5), Specs.Int("fast", 1, 9))), "spec.targets[0].parameters[1].name"),
    };

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public async Task CreateStudy_InvalidSearchSpace_InvalidArgumentWithFieldAndNothingStored(string problem)
    {
        await using var host = await TestServerHost.StartAsync();
        var (spec, field) = InvalidSpec[problem];

        var ex = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateStudyAsync(new CreateStudyRequest { StudyId = "bad", Spec = spec() }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains(field, Violations(ex));
        await AssertNothingStoredAsync(host);
    }

    [Fact]
    public async Task CreateStudy_RelationshipWithUnknownParameter_InvalidArgumentNamingIt()
    {
        await using var host = await TestServerHost.StartAsync();
        var spec = Specs.ConstrainedGrid();
        spec.Constraints[0].Relationship.Expression = "ma.fast < ma.slw";

        var ex = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateStudyAsync(new CreateStudyRequest { Spec = spec }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        var violation = Assert.Single(ex.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations);
        Assert.Equal("spec.constraints[0].relationship.expression", violation.Field);
        Assert.Contains("unknown parameter", violation.Description, StringComparison.Ordinal);
        Assert.Contains("ma.slw", violation.Description, StringComparison.Ordinal);
        await AssertNothingStoredAsync(host);
    }

    public static TheoryData<string> InvalidHierarchies => new(InvalidHierarchy.Keys);

    private static readonly Dictionary<string, (Func<HierarchicalSequence> Sequence, string[] Fields)> InvalidHierarchy = new()
    {
        ["no levels"] = (() => new HierarchicalSequence(), ["spec.sequence.hierarchical.outer.targets", "spec.sequence.hierarchical.inner.targets"]),
        ["shared target"] = (() => Levels(["a", "b"], ["b"]), ["spec.sequence.hierarchical.inner.targets"]),
        ["unknown target"] = (() => Levels(["a"], ["zz"]), ["spec.sequence.hierarchical.inner.targets"]),
        ["outer objectives"] = (() =>
        {
            var h = Levels(["a"], ["b"]);
            h.Outer.Objectives.Add(new Objective { Metric = "total_return" });
            return h;
        }, ["spec.sequence.hierarchical.outer.objectives"]),
        ["nsga2 inner"] = (() =>
        {
            var h = Levels(["a"], ["b"]);
            h.Inner.Method = new MethodSpec { Nsga2 = new Nsga2Settings { PopulationSize = 8, Generations = 2 } };
            return h;
        }, ["spec.sequence.hierarchical.inner.method"]),
        ["random outer without budget"] = (() =>
        {
            var h = Levels(["a"], ["b"]);
            h.Outer.Method = new MethodSpec { Random = new RandomSearchSettings() };
            h.Outer.MaxTrials = 0;
            return h;
        }, ["spec.sequence.hierarchical.outer.max_trials"]),
    };

    [Theory]
    [MemberData(nameof(InvalidHierarchies))]
    public async Task CreateStudy_InvalidHierarchicalSequence_InvalidArgumentNamingTheFieldsAndNothingStored(string problem)
    {
        await using var host = await TestServerHost.StartAsync();
        var spec = Specs.Random(10);
        spec.Targets.Clear();
        spec.Targets.Add(Specs.Target("a", Specs.Int("x", 1, 5)));
        spec.Targets.Add(Specs.Target("b", Specs.Int("y", 1, 5)));
        var (sequence, fields) = InvalidHierarchy[problem];
        spec.Sequence = new SequenceSpec { Hierarchical = sequence() };

        var ex = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateStudyAsync(new CreateStudyRequest { Spec = spec }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(fields, Violations(ex));
        await AssertNothingStoredAsync(host);
    }

    private static HierarchicalSequence Levels(string[] outer, string[] inner) => new()
    {
        Outer = new StageSpec { Targets = { outer } },
        Inner = new StageSpec { Targets = { inner } },
    };

    [Theory]
    [InlineData("genetic", "spec.method.genetic.population_size", "must be between 2 and 100000, got 200000")]
    [InlineData("particle_swarm", "spec.method.particle_swarm.inertia", "must be between 0 and 1, got 1.5")]
    [InlineData("tpe", "spec.method.tpe.log_scale_ratio", "must be 0 (off) or between 2 and 1000000, got 1.5")]
    [InlineData("tpe_late", "spec.method.tpe.late_local_fraction", "must be between 0 and 0.9, got 0.95")]
    [InlineData("tpe_second", "spec.method.tpe.second_basin_fraction", "must be between 0 and 1, got -0.5")]
    public async Task CreateStudy_MethodSettingOutOfRange_InvalidArgumentNamingTheSetting(string method, string field, string description)
    {
        await using var host = await TestServerHost.StartAsync();
        var spec = Specs.Random(10);
        spec.Method = method switch
        {
            "genetic" => new MethodSpec { Genetic = new GeneticSettings { PopulationSize = 200_000 }, Seed = 1 },
            "tpe" => new MethodSpec { Tpe = new TpeSettings { LogScaleRatio = 1.5 }, Seed = 1 },
            "tpe_late" => new MethodSpec { Tpe = new TpeSettings { LateLocalFraction = 0.95 }, Seed = 1 },
            "tpe_second" => new MethodSpec { Tpe = new TpeSettings { SecondBasinFraction = -0.5 }, Seed = 1 },
            _ => new MethodSpec { ParticleSwarm = new ParticleSwarmSettings { Inertia = 1.5 }, Seed = 1 },
        };

        var ex = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateStudyAsync(new CreateStudyRequest { Spec = spec }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        var violation = Assert.Single(ex.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>()!.FieldViolations);
        Assert.Equal(field, violation.Field);
        Assert.Equal(description, violation.Description);
        await AssertNothingStoredAsync(host);
    }

    [Fact]
    public async Task Calls_UnknownStudyId_NotFound()
    {
        await using var host = await TestServerHost.StartAsync();
        var c = host.Client;

        Task[] calls =
        [
            c.GetStudyAsync(new GetStudyRequest { StudyId = "nope" }).ResponseAsync,
            c.AskTrialsAsync(new AskTrialsRequest { StudyId = "nope" }).ResponseAsync,
            c.TellTrialAsync(new TellTrialRequest { StudyId = "nope", Attempt = 1, Outcome = Specs.Value(1) }).ResponseAsync,
            c.PauseStudyAsync(new PauseStudyRequest { StudyId = "nope" }).ResponseAsync,
            c.DeleteStudyAsync(new DeleteStudyRequest { StudyId = "nope" }).ResponseAsync,
            c.ListTrialsAsync(new ListTrialsRequest { StudyId = "nope" }).ResponseAsync,
        ];

        foreach (var call in calls)
        {
            Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => call)).StatusCode);
        }
    }

    [Fact]
    public async Task TellTrial_UnknownTrialNumber_NotFound()
    {
        await using var host = await TestServerHost.StartAsync();
        await host.Client.CreateAsync("s", Specs.Grid(3));
        await host.Client.AskAsync("s", 1);

        var ex = await Assert.ThrowsAsync<RpcException>(() => host.Client.TellTrialAsync(
            new TellTrialRequest { StudyId = "s", TrialNumber = 99, Attempt = 1, Outcome = Specs.Value(1) }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.Equal(1, (await host.Client.GetAsync("s")).Counts.Running);
    }

    [Fact]
    public async Task TellTrial_WithoutOutcomeValues_InvalidArgumentOnOutcome()
    {
        await using var host = await TestServerHost.StartAsync();
        await host.Client.CreateAsync("s", Specs.Grid(3));
        var trial = (await host.Client.AskAsync("s", 1))[0];

        var ex = await Assert.ThrowsAsync<RpcException>(() => host.Client.TellAsync(trial, new TrialOutcome()));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(["outcome"], Violations(ex));
        Assert.Equal(1, (await host.Client.GetAsync("s")).Counts.Running);
    }

    [Fact]
    public async Task TellTrial_MessageOverSizeLimit_ResourceExhaustedAndTrialStillRunning()
    {
        await using var host = await TestServerHost.StartAsync(o => o.MaxMessageBytes = 64 * 1024);
        await host.Client.CreateAsync("s", Specs.Grid(3));
        var trial = (await host.Client.AskAsync("s", 1))[0];
        var big = Specs.Value(1);
        for (int i = 0; i < 10_000; i++)
        {
            big.Values["metric_" + i] = i;
        }

        var ex = await Assert.ThrowsAsync<RpcException>(() => host.Client.TellAsync(trial, big));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal(new TrialCounts { Running = 1 }, (await host.Client.GetAsync("s")).Counts);
    }

    [Fact]
    public async Task CreateStudy_MessageOverSizeLimit_ResourceExhaustedAndNothingStored()
    {
        await using var host = await TestServerHost.StartAsync(o => o.MaxMessageBytes = 64 * 1024);
        var spec = Specs.Random(10);
        var choices = new Categorical();
        choices.Choices.AddRange(Enumerable.Range(0, 20_000).Select(i => "choice_" + i));
        spec.Targets[0].Parameters.Add(new Parameter { Name = "mode", Categorical = choices });

        var ex = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateStudyAsync(new CreateStudyRequest { Spec = spec }).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        await AssertNothingStoredAsync(host);
    }

    private static StudySpec WithTargets(params Target[] targets)
    {
        var spec = Specs.Random(10);
        spec.Targets.Clear();
        spec.Targets.AddRange(targets);
        return spec;
    }

    private static List<string> Violations(RpcException ex) =>
        [.. (ex.GetRpcStatus()?.GetDetail<BadRequest>() ?? throw new InvalidOperationException("no BadRequest detail: " + ex.Status)).FieldViolations.Select(v => v.Field)];

    private static async Task AssertNothingStoredAsync(TestServerHost host) =>
        Assert.Empty((await host.Client.ListStudiesAsync(new ListStudiesRequest())).Studies);
}
