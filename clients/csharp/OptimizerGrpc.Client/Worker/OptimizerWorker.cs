using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using V1 = OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Client;

/// <summary>
/// Evaluates trials pushed by the server over the bidirectional Work stream, up to <see cref="WorkerOptions.Capacity"/>
/// at once. Protocol: hello → welcome; then assignments down, results and heartbeats up, an ack per result, and
/// study_done per finished study. <see cref="RunAsync"/> returns when every served study is done and every result
/// is acknowledged. A dropped stream is reopened with capped exponential backoff; running evaluations continue
/// meanwhile, and unacknowledged results are sent again (the server acknowledges duplicates and ignores them).
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "SemaphoreSlim holds no unmanaged resource unless AvailableWaitHandle is used, which it never is.")]
public sealed class OptimizerWorker
{
    private readonly V1.OptimizerService.OptimizerServiceClient _client;
    private readonly string[] _studyIds;
    private readonly Func<TrialInfo, CancellationToken, Task<TrialOutcome>> _evaluate;
    private readonly WorkerOptions _options;
    private readonly ILogger _logger;

    // Local slots keep concurrency at capacity even when a reconnect lets the server push new trials while
    // evaluations from the previous stream are still running.
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentDictionary<TrialRef, RunningTrial> _running = new();
    private readonly ConcurrentDictionary<TrialRef, V1.TrialResult> _unacknowledged = new();
    private readonly ConcurrentDictionary<string, V1.StudyState> _doneStudies = new(StringComparer.Ordinal);
    private Channel<V1.WorkRequest>? _outgoing;
    private long _evaluated;
    private long _failed;
    private long _reconnects;
    private int _started;

    /// <summary>Creates a worker over a call invoker (a channel's, or a test server's).</summary>
    /// <param name="callInvoker">Where calls go.</param>
    /// <param name="studyIds">Studies to serve, in order of preference.</param>
    /// <param name="evaluate">Evaluates one trial; exceptions become FAILED trials.</param>
    /// <param name="options">Settings; defaults when null.</param>
    public OptimizerWorker(
        CallInvoker callInvoker, IEnumerable<string> studyIds, Func<TrialInfo, CancellationToken, Task<TrialOutcome>> evaluate,
        WorkerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(callInvoker);
        ArgumentNullException.ThrowIfNull(studyIds);
        _evaluate = evaluate ?? throw new ArgumentNullException(nameof(evaluate));
        _studyIds = [.. studyIds.Distinct(StringComparer.Ordinal)];
        if (_studyIds.Length == 0 || _studyIds.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("Give at least one study id, none empty.", nameof(studyIds));
        }

        _options = options ?? new WorkerOptions();
        _options.Validate();
        _logger = _options.Logger;
        _client = new V1.OptimizerService.OptimizerServiceClient(callInvoker);
        _slots = new SemaphoreSlim(_options.Capacity, _options.Capacity);
    }

    /// <summary>Creates a worker sharing an <see cref="OptimizerClient"/>'s connection.</summary>
    public OptimizerWorker(
        OptimizerClient client, IEnumerable<string> studyIds, Func<TrialInfo, CancellationToken, Task<TrialOutcome>> evaluate,
        WorkerOptions? options = null)
        : this((client ?? throw new ArgumentNullException(nameof(client))).CallInvoker, studyIds, evaluate, options)
    {
    }

    /// <summary>Creates a worker over a channel, which the caller keeps owning.</summary>
    public OptimizerWorker(
        GrpcChannel channel, IEnumerable<string> studyIds, Func<TrialInfo, CancellationToken, Task<TrialOutcome>> evaluate,
        WorkerOptions? options = null)
        : this((channel ?? throw new ArgumentNullException(nameof(channel))).CreateCallInvoker(), studyIds, evaluate, options)
    {
    }

    /// <summary>This worker's id, as sent in the hello.</summary>
    public string WorkerId => _options.WorkerId;

    /// <summary>Progress so far; safe to read from any thread.</summary>
    public WorkerCounters Counters => new(
        Interlocked.Read(ref _evaluated), Interlocked.Read(ref _failed), Interlocked.Read(ref _reconnects),
        _running.Count, _unacknowledged.Count);

    /// <summary>
    /// Serves the studies until all are done. On cancellation, running evaluations are cancelled, the stream is
    /// closed and <see cref="OperationCanceledException"/> is thrown. Non-transient server errors (for example
    /// NotFound for an unknown study) are thrown as <see cref="RpcException"/>. Can be called once.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            throw new InvalidOperationException("RunAsync can be called once per worker.");
        }

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var backoff = new Backoff(_options.InitialReconnectDelay, _options.MaxReconnectDelay);
        try
        {
            while (true)
            {
                Exception? error = null;
                try
                {
                    if (await RunSessionAsync(backoff, stopping.Token).ConfigureAwait(false))
                    {
                        return;
                    }
                }
                catch (Exception e) when (TransientErrors.IsTransient(e, cancellationToken))
                {
                    error = e;
                }

                cancellationToken.ThrowIfCancellationRequested();
                Interlocked.Increment(ref _reconnects);
                var delay = backoff.Next();
                WorkerLog.StreamDropped(_logger, delay, error);
                await Task.Delay(delay, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            // The call reports our own cancellation as RpcException(Cancelled); callers expect the standard exception.
            throw new OperationCanceledException("The worker was stopped.", e, cancellationToken);
        }
        finally
        {
            await stopping.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(_running.Values.Select(r => r.Task ?? Task.CompletedTask))
                .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>One Work stream, from hello to its end. Returns true when the worker is finished.</summary>
    private async Task<bool> RunSessionAsync(Backoff backoff, CancellationToken stopping)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        using var call = _client.Work(cancellationToken: session.Token);
        var outgoing = Channel.CreateUnbounded<V1.WorkRequest>(new UnboundedChannelOptions { SingleReader = true });
        var writer = WriteLoopAsync(call.RequestStream, outgoing.Reader, session);
        Task? heartbeat = null;

        // Hello goes first; the session is published before unacknowledged results are queued, so a result that
        // finishes meanwhile is either in the snapshot or sent directly (maybe both; duplicates are harmless).
        outgoing.Writer.TryWrite(new V1.WorkRequest { Hello = Hello() });
        Volatile.Write(ref _outgoing, outgoing);
        foreach (var result in _unacknowledged.Values)
        {
            outgoing.Writer.TryWrite(ResultMessage(result));
        }

        try
        {
            while (await call.ResponseStream.MoveNext(session.Token).ConfigureAwait(false))
            {
                var response = call.ResponseStream.Current;
                switch (response.KindCase)
                {
                    case V1.WorkResponse.KindOneofCase.Welcome:
                        backoff.Reset();
                        WorkerLog.Connected(_logger, WorkerId, _options.Capacity);
                        var interval = response.Welcome.HeartbeatInterval?.ToTimeSpan() is { } t && t > TimeSpan.Zero
                            ? t : _options.DefaultHeartbeatInterval;
                        heartbeat ??= HeartbeatLoopAsync(outgoing.Writer, interval, session.Token);
                        break;
                    case V1.WorkResponse.KindOneofCase.Assignments:
                        foreach (var assignment in response.Assignments.Assignments)
                        {
                            Assign(assignment.Trial, stopping);
                        }

                        break;
                    case V1.WorkResponse.KindOneofCase.Acks:
                        foreach (var ack in response.Acks.Acks)
                        {
                            Acknowledge(ack);
                        }

                        break;
                    case V1.WorkResponse.KindOneofCase.StudyDone:
                        _doneStudies[response.StudyDone.StudyId] = response.StudyDone.State;
                        WorkerLog.StudyDone(_logger, response.StudyDone.StudyId, (StudyState)(int)response.StudyDone.State);
                        break;
                }

                if (IsFinished())
                {
                    outgoing.Writer.TryComplete();
                    await writer.ConfigureAwait(false);
                    await DrainAsync(call.ResponseStream, session).ConfigureAwait(false);
                    return true;
                }
            }

            return IsFinished();
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            return false; // the writer failed and cancelled the session; reconnect
        }
        finally
        {
            Interlocked.CompareExchange(ref _outgoing, null, outgoing);
            outgoing.Writer.TryComplete();
            await session.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(writer, heartbeat ?? Task.CompletedTask).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    // After our side is complete the server ends its side; waiting for that (briefly) ends the stream cleanly,
    // where cancelling at once resets it under the server while it still reads.
    private static async Task DrainAsync(IAsyncStreamReader<V1.WorkResponse> responses, CancellationTokenSource session)
    {
        session.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            while (await responses.MoveNext(session.Token).ConfigureAwait(false))
            {
                // Nothing is left to do with late messages: every study is done and every result acknowledged.
            }
        }
        catch (Exception e) when (e is RpcException or OperationCanceledException)
        {
            // The server did not close in time or the caller stopped; the session is cancelled next either way.
        }
    }

    private bool IsFinished() =>
        _studyIds.All(_doneStudies.ContainsKey) && _running.IsEmpty && _unacknowledged.IsEmpty;

    private V1.WorkerHello Hello()
    {
        var hello = new V1.WorkerHello { WorkerId = WorkerId, Capacity = _options.Capacity };
        hello.StudyIds.AddRange(_studyIds);
        hello.Labels.Add(_options.Labels.ToDictionary());
        return hello;
    }

    private void Assign(V1.Trial? trial, CancellationToken stopping)
    {
        if (trial is null)
        {
            return;
        }

        var key = ProtoMapper.RefOf(trial);
        if (_unacknowledged.TryGetValue(key, out var finished))
        {
            Send(ResultMessage(finished)); // the server missed our result; repeat it
            return;
        }

        var entry = new RunningTrial();
        if (!_running.TryAdd(key, entry))
        {
            WorkerLog.DuplicateAssignment(_logger, key);
            return;
        }

        // Task.Run keeps a slow synchronous evaluate function from blocking the response reader.
        entry.Task = Task.Run(() => EvaluateAsync(trial, key, stopping), CancellationToken.None);
    }

    private async Task EvaluateAsync(V1.Trial trial, TrialRef key, CancellationToken stopping)
    {
        try
        {
            await _slots.WaitAsync(stopping).ConfigureAwait(false);
            try
            {
                var result = ProtoMapper.ToResult(key, await EvaluateOneAsync(trial, key, stopping).ConfigureAwait(false));

                // Recorded as unacknowledged before leaving _running, so IsFinished never sees neither.
                _unacknowledged[key] = result;
                Send(ResultMessage(result));
            }
            finally
            {
                _slots.Release();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The worker is stopping; the lease expires and the server hands the trial out again.
        }
        finally
        {
            _running.TryRemove(key, out _);
        }
    }

    [SuppressMessage("Design", "CA1031", Justification = "Whatever the user's evaluation function throws is that trial's failure: it is logged and reported as a FAILED trial, and the worker goes on.")]
    private async Task<TrialOutcome> EvaluateOneAsync(V1.Trial trial, TrialRef key, CancellationToken stopping)
    {
        var start = _options.TimeProvider.GetTimestamp();
        TrialOutcome outcome;
        try
        {
            outcome = await _evaluate(ProtoMapper.ToTrialInfo(trial), stopping).ConfigureAwait(false)
                ?? TrialOutcome.Failure("The evaluation function returned null.", typeof(NullReferenceException).FullName);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            WorkerLog.EvaluationFailed(_logger, key, e);
            outcome = TrialOutcome.Failure(e);
        }

        Interlocked.Increment(ref _evaluated);
        if (outcome.IsFailure)
        {
            Interlocked.Increment(ref _failed);
        }

        return outcome.Duration is null ? outcome with { Duration = _options.TimeProvider.GetElapsedTime(start) } : outcome;
    }

    private void Acknowledge(V1.ResultAck ack)
    {
        if (ack.Trial is null)
        {
            return;
        }

        var key = ProtoMapper.ToTrialRef(ack.Trial);
        _unacknowledged.TryRemove(key, out _);
        var status = (TellStatus)(int)ack.Status;
        if (status is TellStatus.Expired or TellStatus.Rejected)
        {
            WorkerLog.ResultNotAccepted(_logger, key, status, ack.Message);
        }
    }

    private static V1.WorkRequest ResultMessage(V1.TrialResult result) =>
        new() { Results = new V1.TrialResults { Results = { result } } };

    private void Send(V1.WorkRequest request) => Volatile.Read(ref _outgoing)?.Writer.TryWrite(request);

    private async Task HeartbeatLoopAsync(ChannelWriter<V1.WorkRequest> writer, TimeSpan interval, CancellationToken token)
    {
        using var timer = new PeriodicTimer(interval, _options.TimeProvider);
        while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
        {
            // Queued trials are listed too: they are held by this worker and their leases must not lapse.
            var beat = new V1.WorkerHeartbeat();
            beat.Running.AddRange(_running.Keys.Select(ProtoMapper.ToProto));
            writer.TryWrite(new V1.WorkRequest { Heartbeat = beat });
        }
    }

    // The only writer of the request stream: gRPC forbids concurrent writes, so everything goes through the channel.
    private static async Task WriteLoopAsync(
        IClientStreamWriter<V1.WorkRequest> stream, ChannelReader<V1.WorkRequest> reader, CancellationTokenSource session)
    {
        try
        {
            await foreach (var request in reader.ReadAllAsync(session.Token).ConfigureAwait(false))
            {
                // Results that finished meanwhile ride along in one message: per-message cost is the hot path.
                while (request.KindCase == V1.WorkRequest.KindOneofCase.Results && request.Results.Results.Count < MaxResultsPerMessage
                    && reader.TryPeek(out var next) && next.KindCase == V1.WorkRequest.KindOneofCase.Results && reader.TryRead(out next))
                {
                    request.Results.Results.AddRange(next.Results.Results);
                }

                // No token here: the call's own token (the session's) already aborts a pending write, and the
                // token overload throws NotSupportedException on writers that do not implement it.
                await stream.WriteAsync(request).ConfigureAwait(false);
            }

            await stream.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception) when (!session.IsCancellationRequested)
        {
            await session.CancelAsync().ConfigureAwait(false); // a broken writer ends the session so it reconnects
            throw;
        }
    }

    private const int MaxResultsPerMessage = 1024;

    private sealed class RunningTrial
    {
        public Task? Task { get; set; }
    }
}
