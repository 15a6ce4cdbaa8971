using System.Runtime.CompilerServices;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using V1 = OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Client;

/// <summary>
/// Typed client of the optimizer service: records in, records out. Server errors surface as
/// <see cref="RpcException"/> with the server's status code and message (a wrapper type would add nothing a
/// caller can act on); only the watch stream retries transient failures itself.
/// </summary>
public sealed class OptimizerClient : IDisposable, IAsyncDisposable
{
    private readonly GrpcChannel? _ownedChannel;
    private readonly OptimizerClientOptions _options;

    /// <summary>
    /// Connects to <paramref name="address"/> ("http://localhost:50051", or "https://host:50051" for TLS) with the
    /// credentials of <paramref name="options"/> (by default from the environment); the client owns the channel.
    /// </summary>
    public OptimizerClient(string address, OptimizerClientOptions? options = null)
        : this(OptimizerChannel.Create(address, options ??= new OptimizerClientOptions()), options, ownsChannel: true)
    {
    }

    /// <summary>Uses an existing channel, which the caller keeps owning; the credentials of <paramref name="options"/> go on every call.</summary>
    public OptimizerClient(GrpcChannel channel, OptimizerClientOptions? options = null)
        : this(channel, options, ownsChannel: false)
    {
    }

    /// <summary>Uses a call invoker (for example one over a test server).</summary>
    public OptimizerClient(CallInvoker callInvoker, OptimizerClientOptions? options = null)
    {
        CallInvoker = callInvoker ?? throw new ArgumentNullException(nameof(callInvoker));
        Raw = new V1.OptimizerService.OptimizerServiceClient(callInvoker);
        _options = options ?? new OptimizerClientOptions();
    }

    private OptimizerClient(GrpcChannel channel, OptimizerClientOptions? options, bool ownsChannel)
        : this(OptimizerChannel.WithCredentials(channel ?? throw new ArgumentNullException(nameof(channel)), options), options) =>
        _ownedChannel = ownsChannel ? channel : null;

    /// <summary>The generated stub, for calls and fields this client does not wrap.</summary>
    public V1.OptimizerService.OptimizerServiceClient Raw { get; }

    /// <summary>The invoker all calls go through; a worker can share it.</summary>
    public CallInvoker CallInvoker { get; }

    /// <summary>
    /// Creates a study from a wire spec, for a caller that already holds one (e.g. read from JSON); a definition from
    /// <see cref="StudyBuilder"/> is the usual way. With <paramref name="studyId"/> creation is idempotent.
    /// </summary>
    public async Task<CreateStudyResult> CreateStudyAsync(
        V1.StudySpec spec, string? studyId = null, bool startPaused = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var response = await Raw.CreateStudyAsync(
            new V1.CreateStudyRequest { Spec = spec, StudyId = studyId ?? string.Empty, StartPaused = startPaused },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        return new CreateStudyResult(ProtoMapper.ToStudyInfo(response.Study), response.Created);
    }

    /// <summary>Creates a study from a definition. With <paramref name="studyId"/> creation is idempotent.</summary>
    public Task<CreateStudyResult> CreateStudyAsync(
        StudyDefinition definition, string? studyId = null, bool startPaused = false, CancellationToken cancellationToken = default) =>
        CreateStudyAsync((definition ?? throw new ArgumentNullException(nameof(definition))).Spec, studyId, startPaused, cancellationToken);

    /// <summary>Creates a study from a builder's current definition.</summary>
    public Task<CreateStudyResult> CreateStudyAsync(
        StudyBuilder builder, string? studyId = null, bool startPaused = false, CancellationToken cancellationToken = default) =>
        CreateStudyAsync((builder ?? throw new ArgumentNullException(nameof(builder))).Build(), studyId, startPaused, cancellationToken);

    /// <summary>Returns a study's spec and state.</summary>
    public async Task<StudyInfo> GetStudyAsync(string studyId, CancellationToken cancellationToken = default)
    {
        var response = await Raw.GetStudyAsync(new V1.GetStudyRequest { StudyId = studyId }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return ProtoMapper.ToStudyInfo(response.Study);
    }

    /// <summary>Enumerates studies newest first, fetching pages as needed; <paramref name="states"/> filters when given.</summary>
    public async IAsyncEnumerable<StudyInfo> ListStudiesAsync(
        IReadOnlyList<StudyState>? states = null, int pageSize = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = new V1.ListStudiesRequest { PageSize = pageSize };
        request.States.AddRange((states ?? []).Select(s => (V1.StudyState)(int)s));
        do
        {
            var page = await Raw.ListStudiesAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var study in page.Studies)
            {
                yield return ProtoMapper.ToStudyInfo(study);
            }

            request.PageToken = page.NextPageToken;
        }
        while (!string.IsNullOrEmpty(request.PageToken));
    }

    /// <summary>Stops a study; results of running trials are still accepted.</summary>
    public async Task<StudyInfo> StopStudyAsync(string studyId, string? reason = null, CancellationToken cancellationToken = default)
    {
        var response = await Raw.StopStudyAsync(
            new V1.StopStudyRequest { StudyId = studyId, Reason = reason ?? string.Empty }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return ProtoMapper.ToStudyInfo(response.Study);
    }

    /// <summary>Pauses a study until resumed.</summary>
    public async Task<StudyInfo> PauseStudyAsync(string studyId, CancellationToken cancellationToken = default)
    {
        var response = await Raw.PauseStudyAsync(new V1.PauseStudyRequest { StudyId = studyId }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return ProtoMapper.ToStudyInfo(response.Study);
    }

    /// <summary>Resumes a paused study.</summary>
    public async Task<StudyInfo> ResumeStudyAsync(string studyId, CancellationToken cancellationToken = default)
    {
        var response = await Raw.ResumeStudyAsync(new V1.ResumeStudyRequest { StudyId = studyId }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return ProtoMapper.ToStudyInfo(response.Study);
    }

    /// <summary>Deletes a study and everything stored for it.</summary>
    public async Task DeleteStudyAsync(string studyId, CancellationToken cancellationToken = default) =>
        await Raw.DeleteStudyAsync(new V1.DeleteStudyRequest { StudyId = studyId }, cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <summary>Leases up to <paramref name="count"/> trials to <paramref name="workerId"/>.</summary>
    public async Task<AskResult> AskTrialsAsync(
        string studyId, int count = 1, string? workerId = null, TimeSpan? leaseDuration = null, CancellationToken cancellationToken = default)
    {
        var request = new V1.AskTrialsRequest { StudyId = studyId, Count = count, WorkerId = workerId ?? string.Empty };
        if (leaseDuration is { } lease)
        {
            request.LeaseDuration = Duration.FromTimeSpan(lease);
        }

        var response = await Raw.AskTrialsAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        return ProtoMapper.ToAskResult(response);
    }

    /// <summary>Reports one trial attempt's outcome. Idempotent: the first outcome wins, repeats come back as Duplicate.</summary>
    public async Task<TellResult> TellTrialAsync(
        TrialRef trial, TrialOutcome outcome, string? workerId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var request = new V1.TellTrialRequest
        {
            StudyId = trial.StudyId,
            TrialNumber = trial.TrialNumber,
            Attempt = trial.Attempt,
            Outcome = ProtoMapper.ToProto(outcome),
            WorkerId = workerId ?? string.Empty,
        };
        var response = await Raw.TellTrialAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        return ProtoMapper.ToTellResult(response);
    }

    /// <summary>
    /// Replays the study's events after <paramref name="afterSequence"/>, then follows live. When the stream drops
    /// for a transient reason it reconnects (capped exponential backoff) from the last sequence seen, so no
    /// event is lost or repeated. Ends when the server ends the stream.
    /// </summary>
    public async IAsyncEnumerable<StudyEventInfo> WatchStudyAsync(
        string studyId, long afterSequence = 0, bool includeTrials = false,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var backoff = new Backoff(_options.InitialReconnectDelay, _options.MaxReconnectDelay);
        var last = afterSequence;
        while (true)
        {
            using var call = Raw.WatchStudy(
                new V1.WatchStudyRequest { StudyId = studyId, AfterSequence = last, IncludeTrials = includeTrials },
                cancellationToken: cancellationToken);
            while (true)
            {
                bool hasNext;
                try
                {
                    hasNext = await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (TransientErrors.IsTransient(e, cancellationToken))
                {
                    break;
                }

                if (!hasNext)
                {
                    yield break;
                }

                var message = call.ResponseStream.Current.Event;
                if (message is null || message.Sequence <= last)
                {
                    continue; // a replay overlap after reconnecting; already delivered
                }

                last = message.Sequence;
                backoff.Reset();
                yield return ProtoMapper.ToEvent(message);
            }

            await Task.Delay(backoff.Next(), _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Enumerates a study's trials in number order, fetching pages as needed.</summary>
    public async IAsyncEnumerable<TrialInfo> ListTrialsAsync(
        string studyId, TrialQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? token = null;
        do
        {
            var page = await ListTrialsPageAsync(studyId, query, token, cancellationToken).ConfigureAwait(false);
            foreach (var trial in page.Trials)
            {
                yield return trial;
            }

            token = page.NextPageToken;
        }
        while (!string.IsNullOrEmpty(token));
    }

    /// <summary>Fetches one page of trials; <see cref="TrialPage.LastSequence"/> is the delta-sync cursor.</summary>
    public async Task<TrialPage> ListTrialsPageAsync(
        string studyId, TrialQuery? query = null, string? pageToken = null, CancellationToken cancellationToken = default)
    {
        query ??= new TrialQuery();
        var request = new V1.ListTrialsRequest
        {
            StudyId = studyId,
            PageSize = query.PageSize,
            PageToken = pageToken ?? string.Empty,
            StageId = query.StageId ?? string.Empty,
            AfterSequence = query.AfterSequence,
        };
        request.States.AddRange((query.States ?? []).Select(s => (V1.TrialState)(int)s));
        var response = await Raw.ListTrialsAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        return ProtoMapper.ToTrialPage(response);
    }

    /// <summary>Returns what the study found: best trials per stage and target, regimes, walk-forward, Pareto fronts.</summary>
    public Task<StudyResultInfo> GetStudyResultAsync(string studyId, CancellationToken cancellationToken = default) =>
        GetStudyResultAsync(studyId, includeAnalysis: false, cancellationToken: cancellationToken);

    /// <summary>
    /// Returns what the study found and, with <paramref name="includeAnalysis"/>, its analysis in
    /// <see cref="StudyResultInfo.Analysis"/> (as <see cref="AnalyzeStudyAsync"/> computes it, in the same call).
    /// <paramref name="analysisOptions"/> tunes it; null takes the server's defaults.
    /// </summary>
    public async Task<StudyResultInfo> GetStudyResultAsync(
        string studyId, bool includeAnalysis, AnalysisSettings? analysisOptions = null, CancellationToken cancellationToken = default)
    {
        var request = new V1.GetStudyResultRequest { StudyId = studyId, IncludeAnalysis = includeAnalysis };
        if (includeAnalysis && analysisOptions is not null)
        {
            request.AnalysisOptions = AnalysisMapper.ToProto(analysisOptions);
        }

        var response = await Raw.GetStudyResultAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        return ProtoMapper.ToStudyResult(response.Result ?? new V1.StudyResult());
    }

    /// <summary>
    /// Analyses each stage's completed trials: parameter importance, sensitivity, surfaces, robustness (the best trials'
    /// neighbourhoods and the robust pick), modes, and the winner's overfitting statistics (PSR, DSR, MinTRL, MinBTL,
    /// PBO); plus the regime matrix of a regime-specific study and the walk-forward summary. Statistics that need
    /// backtest records are reported unavailable, with the reason, for values-only outcomes. An unknown study is an
    /// <see cref="RpcException"/> with NOT_FOUND; a setting out of range one with INVALID_ARGUMENT naming the field.
    /// </summary>
    public async Task<StudyAnalysisInfo> AnalyzeStudyAsync(
        string studyId, AnalysisSettings? options = null, CancellationToken cancellationToken = default)
    {
        var request = new V1.AnalyzeStudyRequest { StudyId = studyId };
        if (options is not null)
        {
            request.Options = AnalysisMapper.ToProto(options);
        }

        var response = await Raw.AnalyzeStudyAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        return AnalysisMapper.ToStudyAnalysis(response.Analysis ?? new V1.StudyAnalysis());
    }

    /// <summary>
    /// The equity curves the server kept of each stage's best trials (of one stage when <paramref name="stageId"/> is
    /// set), by stage, best first: at most <paramref name="top"/> per stage (1 to the number kept, 5).
    /// </summary>
    public async Task<IReadOnlyList<EquityCurveInfo>> ListEquityCurvesAsync(
        string studyId, string? stageId = null, int top = 5, CancellationToken cancellationToken = default)
    {
        var request = new V1.ListEquityCurvesRequest { StudyId = studyId, StageId = stageId ?? string.Empty, Top = top };
        var response = await Raw.ListEquityCurvesAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        return [.. response.Curves.Select(c => new EquityCurveInfo(c.TrialNumber, c.StageId, c.Score, c.StartBar, c.Stride, c.BarCount, [.. c.Equity]))];
    }

    /// <summary>
    /// The study's report: one self-contained HTML document with the dashboard's views (data and scripts inlined) that
    /// opens offline. Write it to a file with <see cref="File.WriteAllTextAsync(string, string?, CancellationToken)"/>.
    /// </summary>
    public async Task<string> GetStudyReportAsync(string studyId, CancellationToken cancellationToken = default)
    {
        var response = await Raw.GetStudyReportAsync(new V1.GetStudyReportRequest { StudyId = studyId }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.Html;
    }

    /// <inheritdoc />
    public void Dispose() => _ownedChannel?.Dispose();

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
