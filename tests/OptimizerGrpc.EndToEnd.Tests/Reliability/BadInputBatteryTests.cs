using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Testing;

namespace OptimizerGrpc.EndToEnd.Tests.Reliability;

/// <summary>
/// A battery of bad requests against a real <c>optimizer serve</c>: malformed ids, huge strings, wrong enums,
/// non-normalised durations, oversized messages, unknown studies, bad page tokens. None may be answered INTERNAL or
/// UNKNOWN (a client error is the client's to fix and must say so), and afterwards the server is healthy and still
/// completes a normal study. The per-field answers are the validation tests' business; this checks the server holds.
/// </summary>
[Collection(ReliabilitySuite.Name)]
public sealed class BadInputBatteryTests : IDisposable
{
    private static readonly string Huge = new('x', 4 * 1024 * 1024);
    private readonly Harness _h = new();

    public void Dispose() => _h.Dispose();

    /// <summary>
    /// The cases, by name. Cases marked "validation" needed the request-validation work to pass (now merged from main);
    /// the assertion is the same for every case.
    /// </summary>
    private static IEnumerable<(string Name, Func<OptimizerService.OptimizerServiceClient, Task> Call)> Cases()
    {
        // Malformed and unknown ids.
        foreach (var id in new[] { "", " ", "../../etc/passwd", "a\0b", "ünï-cødé", "%s%n", new string('z', 65), Huge })
        {
            yield return ($"GetStudy id '{Show(id)}'", c => c.GetStudyAsync(new GetStudyRequest { StudyId = id }).ResponseAsync);
            yield return ($"AskTrials id '{Show(id)}'", c => c.AskTrialsAsync(new AskTrialsRequest { StudyId = id }).ResponseAsync);
            yield return ($"DeleteStudy id '{Show(id)}'", c => c.DeleteStudyAsync(new DeleteStudyRequest { StudyId = id }).ResponseAsync);
            yield return ($"CreateStudy id '{Show(id)}'", c => c.CreateStudyAsync(new CreateStudyRequest { StudyId = id, Spec = Harness.Grid(2) }).ResponseAsync);
            yield return ($"WatchStudy id '{Show(id)}'", c => DrainAsync(c.WatchStudy(new WatchStudyRequest { StudyId = id })));
            yield return ($"GetStudyReport id '{Show(id)}'", c => c.GetStudyReportAsync(new GetStudyReportRequest { StudyId = id }).ResponseAsync);
        }

        yield return ("TellTrial unknown study", c => c.TellTrialAsync(new TellTrialRequest { StudyId = "nope", TrialNumber = 1, Attempt = 1, Outcome = new TrialOutcome() }).ResponseAsync);
        yield return ("TellTrial unknown trial", c => c.TellTrialAsync(new TellTrialRequest { StudyId = "ok", TrialNumber = 999_999, Attempt = 1, Outcome = new TrialOutcome { Values = { ["y"] = 1 } } }).ResponseAsync);
        yield return ("TellTrial negative number and attempt", c => c.TellTrialAsync(new TellTrialRequest { StudyId = "ok", TrialNumber = -1, Attempt = -7, Outcome = new TrialOutcome() }).ResponseAsync);
        yield return ("TellTrial no outcome", c => c.TellTrialAsync(new TellTrialRequest { StudyId = "ok", TrialNumber = 0, Attempt = 1 }).ResponseAsync);
        yield return ("TellTrial NaN and infinite values", c => c.TellTrialAsync(new TellTrialRequest { StudyId = "ok", TrialNumber = 0, Attempt = 1, Outcome = new TrialOutcome { Values = { ["y"] = double.NaN, ["z"] = double.PositiveInfinity } } }).ResponseAsync);
        yield return ("TellTrial huge metric name", c => c.TellTrialAsync(new TellTrialRequest { StudyId = "ok", TrialNumber = 0, Attempt = 1, Outcome = new TrialOutcome { Values = { [Huge] = 1 } } }).ResponseAsync);
        yield return ("TellTrial non-normalised duration", c => c.TellTrialAsync(new TellTrialRequest { StudyId = "ok", TrialNumber = 0, Attempt = 1, Outcome = new TrialOutcome { Values = { ["y"] = 1 }, Duration = new Duration { Seconds = 1, Nanos = -5 } } }).ResponseAsync);

        // Counts, sizes and durations out of range or not normalised.
        yield return ("AskTrials count -1", c => c.AskTrialsAsync(new AskTrialsRequest { StudyId = "ok", Count = -1 }).ResponseAsync);
        yield return ("AskTrials count int.MaxValue", c => c.AskTrialsAsync(new AskTrialsRequest { StudyId = "ok", Count = int.MaxValue }).ResponseAsync);
        // The five duration cases marked "validation" were answered INTERNAL before the request-validation work (main,
        // 891a4d4: non-normalised or out-of-range Durations are INVALID_ARGUMENT); this battery caught them.
        // validation (891a4d4): a non-normalised duration (nanos of the wrong sign).
        yield return ("AskTrials lease seconds 1 nanos -5", c => c.AskTrialsAsync(new AskTrialsRequest { StudyId = "ok", LeaseDuration = new Duration { Seconds = 1, Nanos = -5 } }).ResponseAsync);
        // validation (891a4d4): nanos past one second.
        yield return ("AskTrials lease nanos 2e9", c => c.AskTrialsAsync(new AskTrialsRequest { StudyId = "ok", LeaseDuration = new Duration { Seconds = 0, Nanos = 2_000_000_000 } }).ResponseAsync);
        // validation (891a4d4): Duration.ToTimeSpan throws on a duration past its range.
        yield return ("AskTrials lease long.MaxValue s", c => c.AskTrialsAsync(new AskTrialsRequest { StudyId = "ok", LeaseDuration = new Duration { Seconds = long.MaxValue } }).ResponseAsync);
        yield return ("AskTrials lease negative", c => c.AskTrialsAsync(new AskTrialsRequest { StudyId = "ok", LeaseDuration = new Duration { Seconds = -10 } }).ResponseAsync);
        yield return ("AskTrials huge worker id", c => c.AskTrialsAsync(new AskTrialsRequest { StudyId = "ok", WorkerId = Huge }).ResponseAsync);

        // Specs with wrong enums, inverted ranges, bad durations and huge strings.
        yield return ("CreateStudy no spec", c => c.CreateStudyAsync(new CreateStudyRequest { StudyId = "b1" }).ResponseAsync);
        yield return ("CreateStudy empty spec", c => c.CreateStudyAsync(new CreateStudyRequest { StudyId = "b2", Spec = new StudySpec() }).ResponseAsync);
        yield return ("CreateStudy direction 99", c => CreateAsync(c, "b3", s => s.Objectives[0].Direction = (Direction)99));
        yield return ("CreateStudy target kind 99", c => CreateAsync(c, "b4", s => s.Targets[0].Kind = (TargetKind)99));
        yield return ("CreateStudy inverted int range", c => CreateAsync(c, "b5", s => s.Targets[0].Parameters[0].IntRange = new IntRange { Low = 9, High = 0 }));
        yield return ("CreateStudy NaN float range", c => CreateAsync(c, "b6", s => s.Targets[0].Parameters[0].FloatRange = new FloatRange { Low = double.NaN, High = 1 }));
        yield return ("CreateStudy int range of 2^63 points", c => CreateAsync(c, "b7", s => s.Targets[0].Parameters[0].IntRange = new IntRange { Low = long.MinValue, High = long.MaxValue }));
        // validation (891a4d4): a non-normalised lease in a spec.
        yield return ("CreateStudy lease nanos -1", c => CreateAsync(c, "b8", s => s.LeaseDuration = new Duration { Seconds = 5, Nanos = -1 }));
        // validation (891a4d4): a lease past Duration's range.
        yield return ("CreateStudy lease long.MaxValue s", c => CreateAsync(c, "b9", s => s.LeaseDuration = new Duration { Seconds = long.MaxValue }));
        yield return ("CreateStudy max_attempts -3", c => CreateAsync(c, "b10", s => s.MaxAttempts = -3));
        yield return ("CreateStudy max_trials -1", c => CreateAsync(c, "b11", s => s.MaxTrials = -1));
        yield return ("CreateStudy huge display name", c => CreateAsync(c, "b12", s => s.DisplayName = Huge));
        yield return ("CreateStudy huge parameter name", c => CreateAsync(c, "b13", s => s.Targets[0].Parameters[0].Name = Huge));
        yield return ("CreateStudy duplicate parameter names", c => CreateAsync(c, "b14", s => s.Targets[0].Parameters[1].Name = "a"));
        yield return ("CreateStudy 100,000 parameters", c => CreateAsync(c, "b15", s =>
        {
            for (int i = 0; i < 100_000; i++)
            {
                s.Targets[0].Parameters.Add(new Parameter { Name = $"p{i}", IntRange = new IntRange { Low = 0, High = 1 } });
            }
        }));
        yield return ("CreateStudy no domain", c => CreateAsync(c, "b16", s => s.Targets[0].Parameters[0].ClearDomain()));
        yield return ("CreateStudy no method", c => CreateAsync(c, "b17", s => s.Method = null));
        yield return ("CreateStudy empty method", c => CreateAsync(c, "b18", s => s.Method = new MethodSpec()));
        yield return ("CreateStudy unknown metric", c => CreateAsync(c, "b19", s => s.Objectives[0].Metric = "no_such_metric_" + new string('m', 1000)));
        yield return ("CreateStudy garbage constraint", c => CreateAsync(c, "b20", s => s.Constraints.Add(new Constraint { Name = "c", Relationship = new RelationshipConstraint { Expression = "((((a +" } })));
        // A deeply nested expression must not overflow the server's stack (it answers INVALID_ARGUMENT on main today).
        yield return ("CreateStudy constraint nested 100,000 deep", c => CreateAsync(c, "b21", s => s.Constraints.Add(new Constraint { Name = "c", Relationship = new RelationshipConstraint { Expression = new string('(', 100_000) + "t.a" + new string(')', 100_000) + " > 1" } })));

        // Pages and tokens.
        foreach (var token in new[] { "garbage", "-5", "9223372036854775808", "!!!", "AAAA", Huge })
        {
            yield return ($"ListTrials token '{Show(token)}'", c => c.ListTrialsAsync(new ListTrialsRequest { StudyId = "ok", PageToken = token }).ResponseAsync);
            yield return ($"ListStudies token '{Show(token)}'", c => c.ListStudiesAsync(new ListStudiesRequest { PageToken = token }).ResponseAsync);
        }

        yield return ("ListTrials page size -1", c => c.ListTrialsAsync(new ListTrialsRequest { StudyId = "ok", PageSize = -1 }).ResponseAsync);
        yield return ("ListTrials page size int.MaxValue", c => c.ListTrialsAsync(new ListTrialsRequest { StudyId = "ok", PageSize = int.MaxValue }).ResponseAsync);
        yield return ("ListTrials state 99", c => c.ListTrialsAsync(new ListTrialsRequest { StudyId = "ok", States = { (TrialState)99 } }).ResponseAsync);
        yield return ("ListTrials unknown stage", c => c.ListTrialsAsync(new ListTrialsRequest { StudyId = "ok", StageId = "nope" }).ResponseAsync);
        yield return ("ListTrials after_sequence -1", c => c.ListTrialsAsync(new ListTrialsRequest { StudyId = "ok", AfterSequence = -1 }).ResponseAsync);
        yield return ("ListStudies page size -1", c => c.ListStudiesAsync(new ListStudiesRequest { PageSize = -1 }).ResponseAsync);
        yield return ("ListStudies state 99", c => c.ListStudiesAsync(new ListStudiesRequest { States = { (StudyState)99 } }).ResponseAsync);
        yield return ("WatchStudy after_sequence -1", c => DrainAsync(c.WatchStudy(new WatchStudyRequest { StudyId = "ok", AfterSequence = -1 })));
        yield return ("WatchStudy after_sequence long.MaxValue", c => DrainAsync(c.WatchStudy(new WatchStudyRequest { StudyId = "ok", AfterSequence = long.MaxValue }), TimeSpan.FromMilliseconds(300)));

        // Results and analysis with bad options.
        yield return ("GetStudyResult garbage refilter", c => c.GetStudyResultAsync(new GetStudyResultRequest { StudyId = "ok", RefilterExpression = "a +* b" }).ResponseAsync);
        yield return ("GetStudyResult huge refilter", c => c.GetStudyResultAsync(new GetStudyResultRequest { StudyId = "ok", RefilterExpression = Huge }).ResponseAsync);
        yield return ("GetStudyResult refilter nested 100,000 deep", c => c.GetStudyResultAsync(new GetStudyResultRequest { StudyId = "ok", RefilterExpression = new string('(', 100_000) + "1" + new string(')', 100_000) }).ResponseAsync);
        yield return ("GetStudyResult rerank direction 99", c => c.GetStudyResultAsync(new GetStudyResultRequest { StudyId = "ok", RerankObjectives = { new Objective { Metric = "y", Direction = (Direction)99 } } }).ResponseAsync);
        yield return ("AnalyzeStudy bins -1, top_fraction NaN, pbo_blocks 3", c => c.AnalyzeStudyAsync(new AnalyzeStudyRequest { StudyId = "ok", Options = new AnalysisOptions { Bins = -1, TopFraction = double.NaN, PboBlocks = 3 } }).ResponseAsync);
        yield return ("ListEquityCurves top -1, unknown stage", c => c.ListEquityCurvesAsync(new ListEquityCurvesRequest { StudyId = "ok", Top = -1, StageId = "nope" }).ResponseAsync);

        // Work streams that break the protocol.
        yield return ("Work first message not a hello", c => WorkAsync(c, new WorkRequest { Heartbeat = new WorkerHeartbeat() }));
        yield return ("Work capacity -1", c => WorkAsync(c, new WorkRequest { Hello = new WorkerHello { Capacity = -1, StudyIds = { "ok" } } }));
        yield return ("Work no studies", c => WorkAsync(c, new WorkRequest { Hello = new WorkerHello { Capacity = 1 } }));
        yield return ("Work unknown study", c => WorkAsync(c, new WorkRequest { Hello = new WorkerHello { Capacity = 1, StudyIds = { "nope" } } }));
        yield return ("Work hello twice", c => WorkAsync(c, new WorkRequest { Hello = new WorkerHello { Capacity = 1, StudyIds = { "ok" } } }, new WorkRequest { Hello = new WorkerHello { Capacity = 1, StudyIds = { "ok" } } }));
        yield return ("Work empty message after hello", c => WorkAsync(c, new WorkRequest { Hello = new WorkerHello { Capacity = 1, StudyIds = { "ok" } } }, new WorkRequest()));
        yield return ("Work result for an unknown trial and study", c => WorkAsync(c, new WorkRequest { Hello = new WorkerHello { Capacity = 1, StudyIds = { "ok" } } }, new WorkRequest
        {
            Results = new TrialResults
            {
                Results =
                {
                    new TrialResult { StudyId = "ok", TrialNumber = 123_456, Attempt = 1, Outcome = new TrialOutcome { Values = { ["y"] = 1 } } },
                    new TrialResult { StudyId = "nope", TrialNumber = 1, Attempt = 1, Outcome = new TrialOutcome() },
                    new TrialResult { StudyId = "ok", TrialNumber = 1, Attempt = 1 },
                },
            },
        }));
        yield return ("Work heartbeat for unknown trials", c => WorkAsync(c, new WorkRequest { Hello = new WorkerHello { Capacity = 1, StudyIds = { "ok" } } }, new WorkRequest { Heartbeat = new WorkerHeartbeat { Running = { new TrialRef { StudyId = "nope", TrialNumber = -1, Attempt = -1 }, new TrialRef { StudyId = "ok", TrialNumber = long.MaxValue } } } }));
    }

    [Fact(Timeout = 150_000)]
    public async Task BadRequests_RealServer_NoInternalOrUnknownAndTheServerStaysHealthy()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(140));
        using var server = await ServerProcess.StartAsync(_h.Db("battery"), Harness.StartTimeout);
        await server.Client.CreateStudyAsync(new CreateStudyRequest { StudyId = "ok", Spec = Harness.Grid(2) }, cancellationToken: cts.Token);

        // The client sends anything (no client-side size limit), so oversized messages reach the server.
        using var unlimited = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { MaxSendMessageSize = null, MaxReceiveMessageSize = null });
        var client = new OptimizerService.OptimizerServiceClient(unlimited);
        var failures = new List<string>();
        var cases = Cases().ToList();
        cases.Add(("CreateStudy 70 MiB message (over the server's limit)", c => CreateAsync(c, "big", s => s.DisplayName = new string('y', 70 * 1024 * 1024))));
        cases.Add(("TellTrial 70 MiB message (over the server's limit)", c => c.TellTrialAsync(new TellTrialRequest { StudyId = "ok", TrialNumber = 0, Attempt = 1, Outcome = new TrialOutcome { Values = { [new string('k', 70 * 1024 * 1024)] = 1 } } }).ResponseAsync));
        foreach (var (name, call) in cases)
        {
            try
            {
                await call(client).WaitAsync(TimeSpan.FromSeconds(20), cts.Token);
            }
            catch (RpcException ex) when (ex.StatusCode is not (StatusCode.Internal or StatusCode.Unknown))
            {
                // A client error, as it should be.
            }
            catch (RpcException ex)
            {
                failures.Add($"{name}: {ex.StatusCode} {Show(ex.Status.Detail)}");
            }
            catch (TimeoutException)
            {
                failures.Add($"{name}: no answer within 20 s");
            }

            if (server.HasExited)
            {
                failures.Add($"{name}: the server process died");
                break;
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} bad requests were answered as server faults:\n" + string.Join('\n', failures));
        await Harness.AssertHealthyAsync(server);
        await Harness.AssertStudyCompletesAsync(server, "after-battery", cts.Token);
    }

    private static Task CreateAsync(OptimizerService.OptimizerServiceClient c, string id, Action<StudySpec> spoil)
    {
        var spec = Harness.Grid(2);
        spoil(spec);
        return c.CreateStudyAsync(new CreateStudyRequest { StudyId = id, Spec = spec }).ResponseAsync;
    }

    /// <summary>Reads a server stream to its end, or for <paramref name="atMost"/> when it would follow live.</summary>
    private static async Task DrainAsync<T>(AsyncServerStreamingCall<T> call, TimeSpan? atMost = null)
    {
        using (call)
        {
            using var cts = new CancellationTokenSource(atMost ?? TimeSpan.FromSeconds(2));
            try
            {
                while (await call.ResponseStream.MoveNext(cts.Token))
                {
                }
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cts.IsCancellationRequested)
            {
                // Still following live: the server answered, which is all this case asks.
            }
        }
    }

    /// <summary>Sends the messages on a Work stream and reads what comes back for a moment.</summary>
    private static async Task WorkAsync(OptimizerService.OptimizerServiceClient c, params WorkRequest[] messages)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        using var call = c.Work(cancellationToken: cts.Token);
        try
        {
            foreach (var m in messages)
            {
                await call.RequestStream.WriteAsync(m, cts.Token);
            }

            while (await call.ResponseStream.MoveNext(cts.Token))
            {
            }
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cts.IsCancellationRequested)
        {
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
        }
        catch (InvalidOperationException)
        {
            // The server ended the call while we were still writing: its status is the answer.
            throw new RpcException(call.GetStatus());
        }
    }

    private static string Show(string text) => text.Length > 40 ? $"{text[..20]}... ({text.Length} chars)" : text;
}
