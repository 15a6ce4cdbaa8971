using Google.Protobuf;
using Grpc.Core;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Core.Analysis;
using OptimizerGrpc.Core.Expressions;
using OptimizerGrpc.Core.Metrics;
using OptimizerGrpc.Core.Studies;
using OptimizerGrpc.Server.Engine;
using OptimizerGrpc.Server.Engine.Results;
using OptimizerGrpc.Server.Api.Mapping;
using TellStatus = OptimizerGrpc.Contracts.V1.TellStatus;
using Microsoft.AspNetCore.Authorization;
using OptimizerGrpc.Server.Security;
using static OptimizerGrpc.Core.Studies.UserText;

namespace OptimizerGrpc.Server.Api;

/// <summary>
/// The gRPC surface: validates requests, maps them to the engine and back. No search logic lives here;
/// exceptions become status codes in <see cref="ErrorMappingInterceptor"/>.
/// </summary>
/// <remarks>
/// Each RPC names the policy of its operation (<see cref="Policies"/>); calls on one study also pass the resource check
/// of <see cref="StudyAccess"/> (ownership, a worker's scope) before the study is touched.
/// </remarks>
internal sealed class OptimizerGrpcService(
    StudyRegistry registry, WorkSessionFactory sessions, Dashboard.StudyReportBuilder reports, Microsoft.Extensions.Options.IOptions<ServerOptions> options,
    StudyAccess access)
    : OptimizerService.OptimizerServiceBase
{
    private const int MaxAskCount = 10_000;

    [Authorize(Policy = Policies.Create)]
    public override async Task<CreateStudyResponse> CreateStudy(CreateStudyRequest request, ServerCallContext context)
    {
        if (!string.IsNullOrEmpty(request.StudyId))
        {
            StudySpecMapper.ValidateStudyId(request.StudyId, "study_id");
        }

        if (request.Spec is null)
        {
            throw FieldViolations.Single("spec", "a study needs a spec");
        }

        var requested = request.Spec;
        SpecLimits.Check(requested, options.Value.MaxLeaseDuration);
        var stored = StudySpecMapper.Normalize(requested);
        var plan = StudySpecMapper.Compile(stored);
        var caller = access.CallerOf(context.GetHttpContext().User);
        var study = new NewStudy(
            request.StudyId, stored.DisplayName, stored.ToByteArray(), plan, request.StartPaused,
            document => StudySpecMapper.SameSpec(StudySpec.Parser.ParseFrom(document), requested),
            caller.Name,
            existing => StudyRights.CanSee(caller, new StudyResource(existing.StudyId, existing.Owner)));
        var (runtime, created) = await registry.CreateAsync(study, context.CancellationToken);
        return new CreateStudyResponse { Study = ToProto(runtime), Created = created };
    }

    [Authorize(Policy = Policies.Read)]
    public override async Task<GetStudyResponse> GetStudy(GetStudyRequest request, ServerCallContext context) =>
        new() { Study = ToProto(await FindAsync(request.StudyId, StudyOperation.Read, context)) };

    [Authorize(Policy = Policies.Read)]
    public override async Task<ListStudiesResponse> ListStudies(ListStudiesRequest request, ServerCallContext context)
    {
        WireChecks.ThrowIfInvalid(request);
        int pageSize = PageSize(request.PageSize, 50, 1000, "page_size");
        // Newest first: the token is the key of the last study returned; the next page holds older (smaller) keys.
        long beforeKey = PageTokens.ParseStudies(request.PageToken);
        var states = request.States.Select(StudyMapper.ToDomain).ToHashSet();
        var user = context.GetHttpContext().User;
        var page = registry.Entries
            .Where(s => s.Key < beforeKey && (states.Count == 0 || states.Contains(s.State)) && access.CanSee(user, s))
            .OrderByDescending(s => s.Key)
            .Take(pageSize + 1)
            .ToList();
        var response = new ListStudiesResponse();
        foreach (var entry in page.Take(pageSize))
        {
            // Studies nobody used since the start are read from the store for the listing, not restored.
            response.Studies.Add(ToProto(await registry.ReadDetachedAsync(entry, context.CancellationToken)));
        }

        if (page.Count > pageSize)
        {
            response.NextPageToken = PageTokens.ForStudies(page[pageSize - 1].Key);
        }

        return response;
    }

    [Authorize(Policy = Policies.Steer)]
    public override async Task<StopStudyResponse> StopStudy(StopStudyRequest request, ServerCallContext context)
    {
        var runtime = await FindAsync(request.StudyId, StudyOperation.Steer, context);
        await runtime.Stop(request.Reason);
        return new StopStudyResponse { Study = ToProto(runtime) };
    }

    [Authorize(Policy = Policies.Steer)]
    public override async Task<PauseStudyResponse> PauseStudy(PauseStudyRequest request, ServerCallContext context)
    {
        var runtime = await FindAsync(request.StudyId, StudyOperation.Steer, context);
        await runtime.Pause();
        return new PauseStudyResponse { Study = ToProto(runtime) };
    }

    [Authorize(Policy = Policies.Steer)]
    public override async Task<ResumeStudyResponse> ResumeStudy(ResumeStudyRequest request, ServerCallContext context)
    {
        var runtime = await FindAsync(request.StudyId, StudyOperation.Steer, context);
        await runtime.Resume();
        return new ResumeStudyResponse { Study = ToProto(runtime) };
    }

    [Authorize(Policy = Policies.Steer)]
    public override async Task<DeleteStudyResponse> DeleteStudy(DeleteStudyRequest request, ServerCallContext context)
    {
        RequireId(request.StudyId);
        var entry = registry.Find(request.StudyId);
        await access.RequireAsync(context.GetHttpContext().User, StudyOperation.Steer, entry.StudyId, entry.Owner);
        await registry.DeleteAsync(request.StudyId);
        return new DeleteStudyResponse();
    }

    [Authorize(Policy = Policies.Work)]
    public override async Task<AskTrialsResponse> AskTrials(AskTrialsRequest request, ServerCallContext context)
    {
        WireChecks.ThrowIfInvalid(request);
        var runtime = await FindAsync(request.StudyId, StudyOperation.Work, context);
        int count = request.Count == 0 ? 1 : request.Count;
        if (count is < 1 or > MaxAskCount)
        {
            throw FieldViolations.Single("count", $"must be between 1 and {MaxAskCount}, got {request.Count}");
        }

        TimeSpan? lease = request.LeaseDuration?.ToTimeSpan();
        var maxLease = options.Value.MaxLeaseDuration;
        if (lease is { } l && (l < TimeSpan.FromMilliseconds(100) || l > maxLease))
        {
            throw FieldViolations.Single("lease_duration", $"must be between 100 ms and {maxLease} (the server's limit), got {l}");
        }

        RequestLimits.CheckWorkerId(request.WorkerId, "worker_id");
        // With authentication the lease is held by the caller's name and the worker id it chose (LeaseHolder).
        string worker = LeaseHolder.Qualify(CallerName(context), string.IsNullOrEmpty(request.WorkerId) ? context.Peer : request.WorkerId);
        // Beyond the study's or the worker's lease limit: fewer trials, or RESOURCE_EXHAUSTED when none fits.
        var (trials, committed) = runtime.Lease(worker, count, lease, refuseWhenFull: true);
        await committed;
        var response = new AskTrialsResponse { StudyState = StudyMapper.ToProto(runtime.State) };
        response.Trials.AddRange(trials.Select(TrialMapper.ToProto));
        response.StudyFinished = runtime.IsTerminal;
        return response;
    }

    [Authorize(Policy = Policies.Work)]
    public override async Task<TellTrialResponse> TellTrial(TellTrialRequest request, ServerCallContext context)
    {
        WireChecks.ThrowIfInvalid(request);
        var runtime = await FindAsync(request.StudyId, StudyOperation.Work, context);
        if (OutcomeMapper.Problem(request.Outcome) is { } problem)
        {
            throw FieldViolations.Single("outcome", problem);
        }

        RequestLimits.CheckWorkerId(request.WorkerId, "worker_id");
        // The claim names the caller whatever the message says, so only the caller's own leases can match it.
        string claim = LeaseHolder.Qualify(CallerName(context), request.WorkerId);
        var (results, committed) = runtime.Tell([OutcomeMapper.ToDomain(request.TrialNumber, request.Attempt, request.Outcome, claim)]);
        await committed;
        var result = results[0];
        if (result.Status == Core.Studies.TellStatus.Rejected)
        {
            throw new TellRejectedException(result.Message, result.IsNotFound, result.IsNotHolder);
        }

        var trial = result.Trial ?? await runtime.ReadTrialAsync(request.TrialNumber, context.CancellationToken);
        return new TellTrialResponse { Status = (TellStatus)(int)result.Status, Trial = trial is null ? null : TrialMapper.ToProto(trial) };
    }

    [Authorize(Policy = Policies.Work)]
    public override async Task Work(IAsyncStreamReader<WorkRequest> requestStream, IServerStreamWriter<WorkResponse> responseStream, ServerCallContext context)
    {
        using var call = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, sessions.Stopping);
        try
        {
            await sessions.Create(context).RunAsync(requestStream, responseStream, call.Token);
        }
        catch (OperationCanceledException) when (sessions.Stopping.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "the server is shutting down; reconnect"));
        }
    }

    [Authorize(Policy = Policies.Read)]
    public override async Task WatchStudy(WatchStudyRequest request, IServerStreamWriter<WatchStudyResponse> responseStream, ServerCallContext context)
    {
        var runtime = await FindAsync(request.StudyId, StudyOperation.Read, context);
        if (request.AfterSequence < 0)
        {
            throw FieldViolations.Single("after_sequence", "must be >= 0");
        }

        // Like Work streams, watches end when the server stops, so an idle watcher never holds up a graceful stop.
        using var call = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, sessions.Stopping);
        try
        {
            await new StudyWatch(registry, runtime).RunAsync(request, responseStream, call.Token);
        }
        catch (OperationCanceledException) when (sessions.Stopping.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "the server is shutting down; resume from the last sequence"));
        }
    }

    [Authorize(Policy = Policies.Read)]
    public override async Task<ListTrialsResponse> ListTrials(ListTrialsRequest request, ServerCallContext context)
    {
        WireChecks.ThrowIfInvalid(request);
        var runtime = await FindAsync(request.StudyId, StudyOperation.Read, context);
        int pageSize = PageSize(request.PageSize, 100, 10_000, "page_size");
        if (request.AfterSequence < 0)
        {
            throw FieldViolations.Single("after_sequence", $"must be >= 0, got {request.AfterSequence}");
        }

        long afterNumber = PageTokens.ParseTrials(request.PageToken, runtime.Key);
        int? stage = null;
        if (!string.IsNullOrEmpty(request.StageId))
        {
            stage = StageIds.TryParse(request.StageId, out int s)
                ? s
                : throw FieldViolations.Single("stage_id", $"{Quote(request.StageId)} is not a stage id of this study");
        }

        // Read the sequence first: everything changed after it will show up in the next delta.
        long lastSequence = runtime.LastSequence;
        var query = new Engine.Store.TrialQuery(afterNumber, pageSize + 1, stage, [.. request.States.Select(x => (Core.Studies.TrialState)(int)x)], request.AfterSequence);
        var trials = await registry.Store.ListTrialsAsync(runtime.Key, runtime.Plan.Space, query, context.CancellationToken);
        var response = new ListTrialsResponse { LastSequence = lastSequence };
        response.Trials.AddRange(trials.Take(pageSize).Select(TrialMapper.ToProto));
        if (trials.Count > pageSize)
        {
            response.NextPageToken = PageTokens.ForTrials(runtime.Key, trials[pageSize - 1].Number);
        }

        return response;
    }

    [Authorize(Policy = Policies.Read)]
    public override async Task<GetStudyResultResponse> GetStudyResult(GetStudyResultRequest request, ServerCallContext context)
    {
        WireChecks.ThrowIfInvalid(request);
        var runtime = await FindAsync(request.StudyId, StudyOperation.Read, context);
        var spec = StudySpecs.Of(runtime);
        bool rerank = request.RerankObjectives.Count > 0 || !string.IsNullOrEmpty(request.RefilterExpression);
        var objectives = request.RerankObjectives.Count > 0 ? request.RerankObjectives.ToList() : [.. spec.Objectives];
        var data = await StudyResultQuery.BuildAsync(runtime, registry, rerank ? Reranking(objectives, request.RefilterExpression) : null, context.CancellationToken);
        var result = ResultMapper.ToProto(data, spec);
        if (request.IncludeAnalysis)
        {
            var settings = AnalysisOptionsMapper.ToDomain(request.AnalysisOptions, "analysis_options");
            result.Analysis = AnalysisMapper.ToProto(await StudyAnalysisQuery.BuildAsync(runtime, registry, settings, context.CancellationToken));
        }

        if (rerank)
        {
            // A re-ranked result shows the objectives as the request gave them.
            foreach (var stage in result.Study.Stages)
            {
                stage.Objectives.Clear();
                stage.Objectives.AddRange(objectives);
            }
        }

        return new GetStudyResultResponse
        {
            Result = result,
            ComputeTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
        };
    }

    [Authorize(Policy = Policies.Read)]
    public override async Task<AnalyzeStudyResponse> AnalyzeStudy(AnalyzeStudyRequest request, ServerCallContext context)
    {
        WireChecks.ThrowIfInvalid(request);
        var runtime = await FindAsync(request.StudyId, StudyOperation.Read, context);
        var settings = AnalysisOptionsMapper.ToDomain(request.Options, "options");
        var report = await StudyAnalysisQuery.BuildAsync(runtime, registry, settings, context.CancellationToken);
        return new AnalyzeStudyResponse
        {
            Analysis = AnalysisMapper.ToProto(report),
            ComputeTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
        };
    }

    [Authorize(Policy = Policies.Read)]
    public override async Task<ListEquityCurvesResponse> ListEquityCurves(ListEquityCurvesRequest request, ServerCallContext context)
    {
        var runtime = await FindAsync(request.StudyId, StudyOperation.Read, context);
        int? stage = null;
        if (!string.IsNullOrEmpty(request.StageId))
        {
            stage = StageIds.TryParse(request.StageId, out int s) && s < runtime.Plan.Stages.Count
                ? s
                : throw FieldViolations.Single("stage_id", $"{Quote(request.StageId)} is not a stage id of this study");
        }

        int top = request.Top == 0 ? EquityKeeper.KeptPerStage : request.Top;
        if (top < 1 || top > EquityKeeper.KeptPerStage)
        {
            throw FieldViolations.Single("top", $"must be 1-{EquityKeeper.KeptPerStage} (the curves kept per stage), got {request.Top}");
        }

        var kept = await registry.Store.ReadEquityAsync(runtime.Key, stage, context.CancellationToken);
        return EquityMapper.ToResponse(kept, top, EquityKeeper.KeptPerStage);
    }

    [Authorize(Policy = Policies.Read)]
    public override async Task<GetStudyReportResponse> GetStudyReport(GetStudyReportRequest request, ServerCallContext context) =>
        new() { Html = await reports.BuildAsync(await FindAsync(request.StudyId, StudyOperation.Read, context), context.CancellationToken) };

    private static Reranking Reranking(List<Objective> objectives, string refilter)
    {
        for (int i = 0; i < objectives.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(objectives[i].Metric))
            {
                throw FieldViolations.Single($"rerank_objectives[{i}].metric", "metric name is empty");
            }
        }

        CompiledExpression? filter = null;
        if (!string.IsNullOrEmpty(refilter))
        {
            try
            {
                filter = CompiledExpression.Parse(refilter);
            }
            catch (ExpressionException ex)
            {
                throw FieldViolations.Single("refilter_expression", ex.Message);
            }
        }

        return new Reranking(
            [.. objectives.Select(o => new RerankObjective(o.Metric, o.Direction switch
            {
                Direction.Minimize => false,
                Direction.Maximize => true,
                _ => MetricCatalog.DefaultMaximize(o.Metric),
            }, o.HasWeight ? o.Weight : null))],
            filter);
    }

    private static Study ToProto(StudyRuntime runtime)
    {
        var study = StudyMapper.ToProto(runtime.View(), StudySpecs.Of(runtime));
        study.Owner = runtime.Owner;
        return study;
    }

    /// <summary>The caller's name: "" without authentication, so lease holder ids are the bare worker ids then.</summary>
    private string CallerName(ServerCallContext context) => access.CallerOf(context.GetHttpContext().User).Name;

    /// <summary>The study, once the caller passed the resource check of <paramref name="operation"/> (before it is restored).</summary>
    private async ValueTask<StudyRuntime> FindAsync(string studyId, StudyOperation operation, ServerCallContext context)
    {
        RequireId(studyId);
        var entry = registry.Find(studyId);
        await access.RequireAsync(context.GetHttpContext().User, operation, entry.StudyId, entry.Owner);
        return await registry.GetAsync(studyId);
    }

    // Every id the server holds matches the id pattern (chosen ids are checked, generated ones are hex), so an id that
    // does not is refused as malformed without being looked up or echoed.
    private static void RequireId(string studyId)
    {
        if (string.IsNullOrEmpty(studyId))
        {
            throw FieldViolations.Single("study_id", "is required");
        }

        StudySpecMapper.ValidateStudyId(studyId, "study_id");
    }

    private static int PageSize(int requested, int fallback, int max, string field) =>
        requested == 0 ? fallback
        : requested < 0 || requested > max ? throw FieldViolations.Single(field, $"must be between 1 and {max}, got {requested}")
        : requested;
}
