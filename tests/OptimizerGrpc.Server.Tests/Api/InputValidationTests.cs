using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using OptimizerGrpc.Contracts.V1;
using static OptimizerGrpc.Server.Tests.Api.ValidationAsserts;

namespace OptimizerGrpc.Server.Tests.Api;

/// <summary>
/// Input the server used to accept, answer with INTERNAL or silently ignore: each is INVALID_ARGUMENT on the exact field,
/// logs no error (the host fails a test that logs one) and stores nothing.
/// </summary>
public sealed class InputValidationTests
{
    public static TheoryData<string> InvalidSpecs => new(InvalidSpec.Keys);

    private static readonly Dictionary<string, (Action<StudySpec> Change, string Field)> InvalidSpec = new()
    {
        ["direction 99"] = (s => s.Objectives[0].Direction = (Direction)99, "spec.objectives[0].direction"),
        ["custom metric direction 99"] = (s => Custom(s, ("edge", "sharpe_ratio * 2")).CustomMetrics[0].Direction = (Direction)99, "spec.metric_settings.custom_metrics[0].direction"),
        ["acquisition 99"] = (s => s.Method = new MethodSpec { Bayesian = new BayesianSettings { Acquisition = (Acquisition)99 } }, "spec.method.bayesian.acquisition"),
        ["target kind 99"] = (s => s.Targets[0].Kind = (TargetKind)99, "spec.targets[0].kind"),
        ["unknown method kind"] = (s => s.Method = MethodSpec.Parser.ParseFrom([(11 << 3) | 2, 0]), "spec.method"),
        ["unknown sequence kind"] = (s => s.Sequence = SequenceSpec.Parser.ParseFrom([(12 << 3) | 2, 0]), "spec.sequence"),
        ["performance constraint on an unknown metric"] = (s => Performance(s, "sharp_ratio > 1"), "spec.constraints[0].performance.expression"),
        ["performance constraint on a parameter"] = (s => Performance(s, "ma.fast > 3"), "spec.constraints[0].performance.expression"),
        ["custom metrics in a cycle"] = (s => Custom(s, ("a", "b + 1"), ("b", "a * 2")), "spec.metric_settings.custom_metrics[0].expression"),
        ["custom metric using itself"] = (s => Custom(s, ("a", "a + sharpe_ratio")), "spec.metric_settings.custom_metrics[0].expression"),
        ["nsga2 with one objective"] = (s => s.Method = new MethodSpec { Nsga2 = new Nsga2Settings() }, "spec.method.nsga2"),
        ["nsga2 stage with one objective"] = (s => s.Sequence = new SequenceSpec { Sequential = new SequentialSequence { Stages = { new StageSpec { Targets = { "ma" }, Method = new MethodSpec { Nsga2 = new Nsga2Settings() } } } } }, "spec.sequence.sequential.stages[0].method.nsga2"),
        ["negative bar interval"] = (s => s.Data = new DataDescription { BarCount = 100, BarInterval = new Duration { Seconds = -60 } }, "spec.data.bar_interval"),
        ["zero bar interval"] = (s => s.Data = new DataDescription { BarCount = 100, BarInterval = new Duration() }, "spec.data.bar_interval"),
        ["bar interval not normalised"] = (s => s.Data = new DataDescription { BarCount = 100, BarInterval = new Duration { Seconds = 1, Nanos = -5 } }, "spec.data.bar_interval"),
        ["lease {1 s, -5 ns}"] = (s => s.LeaseDuration = new Duration { Seconds = 1, Nanos = -5 }, "spec.lease_duration"),
        ["lease nanos 2e9"] = (s => s.LeaseDuration = new Duration { Nanos = 2_000_000_000 }, "spec.lease_duration"),
        ["negative lease"] = (s => s.LeaseDuration = new Duration { Seconds = -5 }, "spec.lease_duration"),
        ["control character in a metric"] = (s => s.Objectives[0].Metric = "sharpe\u0001ratio", "spec.objectives[0].metric"),
        ["control character in an extra metric"] = (s => (s.MetricSettings ??= new MetricSettings()).ExtraMetrics.Add("a\nb"), "spec.metric_settings.extra_metrics[0]"),
        ["control character in a stage name"] = (s => s.Sequence = new SequenceSpec { Sequential = new SequentialSequence { Stages = { new StageSpec { Name = "one\u0007", Targets = { "ma" } } } } }, "spec.sequence.sequential.stages[0].name"),
        ["control character in a constraint name"] = (s => s.Constraints.Add(new Constraint { Name = "c\r", Relationship = new RelationshipConstraint { Expression = "ma.fast < ma.slow" } }), "spec.constraints[0].name"),
        ["control character in a target name"] = (s => s.Targets[0].Name = "m\ta", "spec.targets[0].name"),
        ["NaN default value"] = (s => s.Targets[0].Parameters.Add(WithDefault(Specs.Float("k", 0, 1), double.NaN)), "spec.targets[0].parameters[2].default_value.float_value"),
        ["infinite value in a list"] = (s => s.Targets[0].Parameters.Add(new Parameter { Name = "k", Values = new ValueList { Values = { new ParameterValue { FloatValue = 1 }, new ParameterValue { FloatValue = double.PositiveInfinity } } } }), "spec.targets[0].parameters[2].values.values[1].float_value"),
        ["NaN constraint bound"] = (s => s.Constraints.Add(new Constraint { Parameter = new ParameterConstraint { Parameter = "ma.fast", Min = double.NaN } }), "spec.constraints[0].parameter.min"),
        ["infinite allowed value"] = (s => s.Constraints.Add(new Constraint { Parameter = new ParameterConstraint { Parameter = "ma.fast", Allowed = { new ParameterValue { FloatValue = double.NegativeInfinity } } } }), "spec.constraints[0].parameter.allowed[0].float_value"),
        ["infinite weight"] = (s => s.Objectives[0].Weight = double.PositiveInfinity, "spec.objectives[0].weight"),
        ["NaN ucb_beta"] = (s => s.Method = new MethodSpec { Bayesian = new BayesianSettings { UcbBeta = double.NaN } }, "spec.method.bayesian.ucb_beta"),
        ["infinite risk-free rate"] = (s => s.MetricSettings = new MetricSettings { RiskFreeRate = double.NegativeInfinity }, "spec.metric_settings.risk_free_rate"),
    };

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public async Task CreateStudy_InvalidInput_InvalidArgumentOnTheFieldAndNothingStored(string problem)
    {
        await using var host = await TestServerHost.StartAsync();
        var (change, field) = InvalidSpec[problem];
        var spec = Specs.Random(10);
        change(spec);

        var ex = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateStudyAsync(new CreateStudyRequest { StudyId = "s", Spec = spec }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains(field, Violations(ex));
        await NothingStoredAsync(host);
    }

    [Fact]
    public async Task CreateStudy_MethodWithOnlyASeed_IsSeededAutoAsDocumented()
    {
        await using var host = await TestServerHost.StartAsync();
        var spec = Specs.Random(10);
        spec.Method = new MethodSpec { Seed = 5 };

        var study = await host.Client.CreateAsync("s", spec);

        Assert.Equal(MethodSpec.KindOneofCase.Auto, study.Stages[0].Method.KindCase);
        Assert.Equal(5UL, study.Stages[0].Method.Seed);
    }

    public static TheoryData<string> InvalidRequests => new(InvalidRequest.Keys);

    private static readonly Dictionary<string, (Func<OptimizerService.OptimizerServiceClient, Task> Call, string Field)> InvalidRequest = new()
    {
        ["ask lease {1 s, -5 ns}"] = (c => c.AskTrialsAsync(new AskTrialsRequest { StudyId = "s", LeaseDuration = new Duration { Seconds = 1, Nanos = -5 } }).ResponseAsync, "lease_duration"),
        ["ask lease nanos 2e9"] = (c => c.AskTrialsAsync(new AskTrialsRequest { StudyId = "s", LeaseDuration = new Duration { Nanos = 2_000_000_000 } }).ResponseAsync, "lease_duration"),
        ["ask lease negative"] = (c => c.AskTrialsAsync(new AskTrialsRequest { StudyId = "s", LeaseDuration = new Duration { Seconds = -1 } }).ResponseAsync, "lease_duration"),
        ["ask lease past 10,000 years"] = (c => c.AskTrialsAsync(new AskTrialsRequest { StudyId = "s", LeaseDuration = new Duration { Seconds = long.MaxValue } }).ResponseAsync, "lease_duration"),
        ["tell duration not normalised"] = (c => c.TellTrialAsync(new TellTrialRequest { StudyId = "s", TrialNumber = 1, Attempt = 1, Outcome = WithDuration(new Duration { Seconds = 1, Nanos = -5 }) }).ResponseAsync, "outcome.duration"),
        ["list trials state 99"] = (c => c.ListTrialsAsync(new ListTrialsRequest { StudyId = "s", States = { (TrialState)99 } }).ResponseAsync, "states[0]"),
        ["list trials after_sequence -1"] = (c => c.ListTrialsAsync(new ListTrialsRequest { StudyId = "s", AfterSequence = -1 }).ResponseAsync, "after_sequence"),
        ["list trials made-up token"] = (c => c.ListTrialsAsync(new ListTrialsRequest { StudyId = "s", PageToken = "5" }).ResponseAsync, "page_token"),
        ["list studies state 99"] = (c => c.ListStudiesAsync(new ListStudiesRequest { States = { (StudyState)99 } }).ResponseAsync, "states[0]"),
        ["rerank direction 99"] = (c => c.GetStudyResultAsync(new GetStudyResultRequest { StudyId = "s", RerankObjectives = { new Objective { Metric = Specs.Metric, Direction = (Direction)99 } } }).ResponseAsync, "rerank_objectives[0].direction"),
    };

    [Theory]
    [MemberData(nameof(InvalidRequests))]
    public async Task Request_InvalidInput_InvalidArgumentOnTheFieldAndStudyIntact(string problem)
    {
        await using var host = await TestServerHost.StartAsync();
        await host.Client.CreateAsync("s", Specs.Grid(5));
        var trial = (await host.Client.AskAsync("s", 1))[0];
        var before = await host.Client.GetAsync("s");
        var (call, field) = InvalidRequest[problem];

        var ex = await Assert.ThrowsAsync<RpcException>(() => call(host.Client));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains(field, Violations(ex));
        var after = await host.Client.GetAsync("s");
        Assert.Equal(before.Counts, after.Counts);
        Assert.Equal(before.LastSequence, after.LastSequence);
        Assert.Equal(TellStatus.Accepted, (await host.Client.TellAsync(trial, Specs.Value(1))).Status);
    }

    [Fact]
    public async Task ListTrials_PageTokenOfAnotherStudy_InvalidArgumentOnPageToken()
    {
        await using var host = await TestServerHost.StartAsync();
        await host.Client.CreateAsync("a", Specs.Grid(5));
        await host.Client.CreateAsync("b", Specs.Grid(5));
        await host.Client.AskAsync("a", 3);
        await host.Client.AskAsync("b", 3);
        var page = await host.Client.ListTrialsAsync(new ListTrialsRequest { StudyId = "a", PageSize = 1 });
        Assert.NotEmpty(page.NextPageToken);

        var ex = await Assert.ThrowsAsync<RpcException>(() => host.Client.ListTrialsAsync(new ListTrialsRequest { StudyId = "b", PageSize = 1, PageToken = page.NextPageToken }).ResponseAsync);
        var asStudies = await Assert.ThrowsAsync<RpcException>(() => host.Client.ListStudiesAsync(new ListStudiesRequest { PageToken = page.NextPageToken }).ResponseAsync);

        Assert.Equal(["page_token"], Violations(ex));
        Assert.Equal(["page_token"], Violations(asStudies));
        var next = await host.Client.ListTrialsAsync(new ListTrialsRequest { StudyId = "a", PageSize = 1, PageToken = page.NextPageToken });
        Assert.Equal(page.Trials[0].Number + 1, next.Trials[0].Number);
    }

    [Fact]
    public async Task ListStudies_TokenOfItsOwnPages_PagesThroughEveryStudyOnce()
    {
        await using var host = await TestServerHost.StartAsync();
        foreach (var id in new[] { "a", "b", "c" })
        {
            await host.Client.CreateAsync(id, Specs.Grid(2));
        }

        var ids = new List<string>();
        string token = "";
        do
        {
            var page = await host.Client.ListStudiesAsync(new ListStudiesRequest { PageSize = 2, PageToken = token });
            ids.AddRange(page.Studies.Select(s => s.StudyId));
            token = page.NextPageToken;
        }
        while (token.Length > 0);

        Assert.Equal(["c", "b", "a"], ids);
    }

    [Fact]
    public async Task Calls_MegabyteOfInput_MessagesQuoteABoundedPrefix()
    {
        await using var host = await TestServerHost.StartAsync();
        await host.Client.CreateAsync("s", Specs.Grid(3));
        string huge = new('x', 1 << 20);
        var spec = Specs.Random(10);
        spec.Targets[0].Name = huge;
        spec.Objectives.Add(new Objective { Metric = huge });
        spec.Objectives.Add(new Objective { Metric = huge });

        RpcException[] errors =
        [
            await Assert.ThrowsAsync<RpcException>(() => host.Client.GetStudyAsync(new GetStudyRequest { StudyId = huge }).ResponseAsync),
            await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateStudyAsync(new CreateStudyRequest { Spec = spec }).ResponseAsync),
            await Assert.ThrowsAsync<RpcException>(() => host.Client.ListTrialsAsync(new ListTrialsRequest { StudyId = "s", StageId = huge }).ResponseAsync),
            await Assert.ThrowsAsync<RpcException>(() => host.Client.ListTrialsAsync(new ListTrialsRequest { StudyId = "s", PageToken = huge }).ResponseAsync),
        ];

        foreach (var ex in errors)
        {
            Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
            Assert.True(ex.Status.Detail.Length < 1024, $"status message of {ex.Status.Detail.Length} characters");
            var details = ex.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>()!.FieldViolations;
            Assert.All(details, d => Assert.True(d.Description.Length < 512, $"{d.Field}: description of {d.Description.Length} characters"));
        }

        // A name that long is over the spec's size limits (docs/limits.md), which say so without quoting it.
        Assert.Contains("over a size limit", errors[1].Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", errors[1].Status.Detail, StringComparison.Ordinal);
    }

    private static MetricSettings Custom(StudySpec spec, params (string Name, string Expression)[] metrics)
    {
        spec.MetricSettings ??= new MetricSettings();
        foreach (var (name, expression) in metrics)
        {
            spec.MetricSettings.CustomMetrics.Add(new CustomMetric { Name = name, Expression = expression });
        }

        return spec.MetricSettings;
    }

    private static void Performance(StudySpec spec, string expression) =>
        spec.Constraints.Add(new Constraint { Name = "p", Performance = new PerformanceConstraint { Expression = expression } });

    private static Parameter WithDefault(Parameter parameter, double value)
    {
        parameter.DefaultValue = new ParameterValue { FloatValue = value };
        return parameter;
    }

    private static TrialOutcome WithDuration(Duration duration)
    {
        var outcome = Specs.Value(1);
        outcome.Duration = duration;
        return outcome;
    }
}
