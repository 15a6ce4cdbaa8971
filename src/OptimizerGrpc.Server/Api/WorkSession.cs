using System.Threading.Channels;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Server.Engine;
using OptimizerGrpc.Server.Api.Mapping;
using OptimizerGrpc.Server.Security;
using static OptimizerGrpc.Core.Studies.UserText;

namespace OptimizerGrpc.Server.Api;

/// <summary>Creates one <see cref="WorkSession"/> per Work stream.</summary>
internal sealed class WorkSessionFactory(
    StudyRegistry registry, IOptions<ServerOptions> options, ILogger<WorkSession> logger, Microsoft.Extensions.Hosting.IHostApplicationLifetime lifetime,
    StudyAccess access)
{
    /// <summary>A session for the stream's caller: its leases are held by the caller's name (see <see cref="LeaseHolder"/>).</summary>
    public WorkSession Create(ServerCallContext context)
    {
        var user = context.GetHttpContext().User;
        return new(registry, options.Value, logger, context.Peer, access.CallerOf(user).Name,
            entry => access.RequireAsync(user, StudyOperation.Work, entry.StudyId, entry.Owner));
    }

    /// <summary>Work streams end when the server stops, so a connected worker never delays shutdown; it reconnects.</summary>
    public CancellationToken Stopping => lifetime.ApplicationStopping;
}

/// <summary>
/// One worker's Work stream. The worker says hello with its capacity; the server keeps up to that many trials
/// leased to it, pushing new ones as results come back. Results are acknowledged only after they are committed.
/// Reading never waits for a commit (acks are sent from the commit's continuation), so one worker's results
/// share group commits with everyone else's. A dropped stream leaves its leases to expire: the worker may
/// reconnect and still deliver.
/// </summary>
/// <param name="caller">The authenticated caller's name ("" without authentication).</param>
/// <param name="mayWork">Throws unless the caller may work on the study (checked for each study of the hello).</param>
internal sealed partial class WorkSession(
    StudyRegistry registry, ServerOptions options, ILogger logger, string peer, string caller, Func<StudyEntry, Task> mayWork)
{
    private const int MaxCapacity = 10_000;
    private static readonly TimeSpan MinHeartbeat = TimeSpan.FromMilliseconds(50);

    private readonly Channel<WorkResponse> _outgoing = Channel.CreateUnbounded<WorkResponse>(new UnboundedChannelOptions { SingleReader = true });
    private readonly AsyncSignal _capacityFreed = new();
    private readonly HashSet<(string Study, long Number, int Attempt)> _assigned = [];
    private readonly object _assignedGate = new();
    private string _workerId = "";
    private int _acksOutstanding;
    private int _capacity;

    public async Task RunAsync(IAsyncStreamReader<WorkRequest> requests, IServerStreamWriter<WorkResponse> responses, CancellationToken ct)
    {
        if (!await requests.MoveNext(ct))
        {
            return;
        }

        var studies = await HelloAsync(requests.Current);
        LogWorkerConnected(_workerId, _capacity, peer);
        using var sessionCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pump = PumpAsync(responses, sessionCts.Token);
        _outgoing.Writer.TryWrite(new WorkResponse { Welcome = new WorkerWelcome { HeartbeatInterval = Duration.FromTimeSpan(HeartbeatAdvice(studies)) } });
        var dispatch = DispatchAsync(studies, sessionCts.Token);
        try
        {
            while (await requests.MoveNext(sessionCts.Token))
            {
                await HandleAsync(requests.Current);
            }
        }
        finally
        {
            LogWorkerDisconnected(_workerId);
            await sessionCts.CancelAsync();
            _outgoing.Writer.TryComplete();
            await Task.WhenAll(dispatch.ContinueWith(_ => { }, TaskScheduler.Default), pump.ContinueWith(_ => { }, TaskScheduler.Default));
        }
    }

    private async Task<List<string>> HelloAsync(WorkRequest first)
    {
        if (first.KindCase != WorkRequest.KindOneofCase.Hello)
        {
            throw FieldViolations.Single("hello", "the first message of a Work stream must be a hello");
        }

        var hello = first.Hello;
        RequestLimits.CheckWorkerId(hello.WorkerId, "hello.worker_id");
        _workerId = LeaseHolder.Qualify(caller, string.IsNullOrEmpty(hello.WorkerId) ? peer : hello.WorkerId);
        _capacity = hello.Capacity == 0 ? 1 : hello.Capacity;
        if (_capacity is < 1 or > MaxCapacity)
        {
            throw FieldViolations.Single("hello.capacity", $"must be between 1 and {MaxCapacity}, got {hello.Capacity}");
        }

        if (hello.StudyIds.Count == 0)
        {
            throw FieldViolations.Single("hello.study_ids", "a worker must serve at least one study");
        }

        foreach (var id in hello.StudyIds)
        {
            await mayWork(registry.Find(id)); // NOT_FOUND for an unknown study; PERMISSION_DENIED for another's
            await registry.GetAsync(id); // restores a study not used since the start
        }

        return hello.StudyIds.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The heartbeat interval to advise: a third of the shortest lease among the served studies, so a worker that
    /// follows it renews each lease at least twice before it would expire; never above the server's default, never
    /// below 50 ms.
    /// </summary>
    private TimeSpan HeartbeatAdvice(List<string> studies)
    {
        var advice = options.HeartbeatInterval;
        foreach (var id in studies)
        {
            if (registry.TryGetLoaded(id, out var runtime) && runtime.Plan.LeaseDuration / 3 < advice)
            {
                advice = runtime.Plan.LeaseDuration / 3;
            }
        }

        return advice < MinHeartbeat ? MinHeartbeat : advice;
    }

    private async Task HandleAsync(WorkRequest request)
    {
        switch (request.KindCase)
        {
            case WorkRequest.KindOneofCase.Results:
                foreach (var group in request.Results.Results.GroupBy(r => r.StudyId, StringComparer.Ordinal))
                {
                    // A result for a study this stream did not name may need it restored first (rare: reads wait for it).
                    var runtime = registry.TryGetLoaded(group.Key, out var loaded) ? loaded
                        : registry.Contains(group.Key) ? await registry.GetAsync(group.Key) : null;
                    TellGroup(group.Key, runtime, group.ToList());
                }

                break;
            case WorkRequest.KindOneofCase.Heartbeat:
                foreach (var group in request.Heartbeat.Running.GroupBy(r => r.StudyId, StringComparer.Ordinal))
                {
                    if (registry.TryGetLoaded(group.Key, out var runtime))
                    {
                        // The renewal is stored with a relaxed commit; nothing waits for it.
                        _ = runtime.Heartbeat(_workerId, group.Select(r => (r.TrialNumber, r.Attempt)).ToList());
                    }
                }

                break;
            default:
                throw FieldViolations.Single("kind", $"unexpected {request.KindCase} after hello");
        }
    }

    private void TellGroup(string studyId, StudyRuntime? runtime, List<TrialResult> results)
    {
        var acks = new ResultAcks();
        if (runtime is null)
        {
            foreach (var r in results)
            {
                acks.Acks.Add(Ack(r, TellStatus.Rejected, $"study {Quote(studyId)} not found"));
            }

            Release(results);
            _outgoing.Writer.TryWrite(new WorkResponse { Acks = acks });
            return;
        }

        var valid = new List<TrialResult>(results.Count);
        foreach (var r in results)
        {
            string? problem = OutcomeMapper.Problem(r.Outcome);
            if (problem is null)
            {
                valid.Add(r);
            }
            else
            {
                acks.Acks.Add(Ack(r, TellStatus.Rejected, problem));
            }
        }

        Interlocked.Increment(ref _acksOutstanding);
        var (told, committed) = runtime.Tell(valid.Select(r => OutcomeMapper.ToDomain(r.TrialNumber, r.Attempt, r.Outcome, _workerId)).ToList());
        _ = committed.ContinueWith(
            t =>
            {
                for (int i = 0; i < valid.Count; i++)
                {
                    acks.Acks.Add(t.IsCompletedSuccessfully
                        ? Ack(valid[i], (TellStatus)(int)told[i].Status, told[i].Message)
                        : Ack(valid[i], TellStatus.Rejected, "the server could not store the result: " + t.Exception?.GetBaseException().Message));
                }

                _outgoing.Writer.TryWrite(new WorkResponse { Acks = acks });
                // After the acks are queued, so a worker never sees study_done before the ack of its last result.
                Interlocked.Decrement(ref _acksOutstanding);
                Release(results);
                _capacityFreed.Pulse();
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void Release(List<TrialResult> results)
    {
        bool freed = false;
        lock (_assignedGate)
        {
            foreach (var r in results)
            {
                freed |= _assigned.Remove((r.StudyId, r.TrialNumber, r.Attempt));
            }
        }

        if (freed)
        {
            _capacityFreed.Pulse();
        }
    }

    private async Task DispatchAsync(List<string> studies, CancellationToken ct)
    {
        var cancelled = new TaskCompletionSource();
        await using var registration = ct.Register(() => cancelled.TrySetResult());
        var doneSent = new HashSet<string>(StringComparer.Ordinal);
        var waits = new List<Task>(studies.Count + 2);
        while (!ct.IsCancellationRequested)
        {
            waits.Clear();
            waits.Add(cancelled.Task);
            waits.Add(_capacityFreed.WaitAsync());
            int free;
            lock (_assignedGate)
            {
                free = _capacity - _assigned.Count;
            }

            var batch = new TrialAssignments();
            // Every study is looked at, even with no free capacity: a worker busy with a trial of a study that was
            // stopped or deleted is told at once, not when it next asks for work.
            foreach (var id in studies)
            {
                // The hello restored every served study, so one that is no longer loaded was deleted.
                if (!registry.TryGetLoaded(id, out var runtime))
                {
                    if (doneSent.Add(id))
                    {
                        // Its results would be rejected: the worker should abandon them, and its capacity is free again.
                        free += Forget(id);
                        _outgoing.Writer.TryWrite(new WorkResponse { StudyDone = new StudyDone { StudyId = id, State = StudyState.Unspecified, Deleted = true } });
                    }

                    continue;
                }

                waits.Add(runtime.Changed.WaitAsync());
                if (runtime.IsTerminal)
                {
                    // After the acks of results in flight, so a worker never sees study_done before its last ack.
                    if (Volatile.Read(ref _acksOutstanding) == 0)
                    {
                        SendDoneOnce(id, StudyMapper.ToProto(runtime.State), doneSent);
                    }

                    continue;
                }

                if (free <= 0)
                {
                    continue;
                }

                var (trials, committed) = runtime.Lease(_workerId, free, null);
                await committed;
                lock (_assignedGate)
                {
                    foreach (var trial in trials)
                    {
                        _assigned.Add((id, trial.Number, trial.Attempt));
                    }
                }

                free -= trials.Count;
                batch.Assignments.AddRange(trials.Select(TrialMapper.ToProto).Select(t => new TrialAssignment { Trial = t, LeaseExpireTime = t.LeaseExpireTime }));
            }

            if (batch.Assignments.Count > 0)
            {
                _outgoing.Writer.TryWrite(new WorkResponse { Assignments = batch });
                continue;
            }

            await Task.WhenAny(waits);
        }
    }

    /// <summary>Drops the trials of a deleted study from the stream's holdings; returns how many were held.</summary>
    private int Forget(string studyId)
    {
        lock (_assignedGate)
        {
            return _assigned.RemoveWhere(a => a.Study == studyId);
        }
    }

    private void SendDoneOnce(string studyId, StudyState state, HashSet<string> doneSent)
    {
        if (doneSent.Add(studyId))
        {
            _outgoing.Writer.TryWrite(new WorkResponse { StudyDone = new StudyDone { StudyId = studyId, State = state } });
        }
    }

    private async Task PumpAsync(IServerStreamWriter<WorkResponse> responses, CancellationToken ct)
    {
        await foreach (var message in _outgoing.Reader.ReadAllAsync(ct))
        {
            await responses.WriteAsync(message, ct);
        }
    }

    private static ResultAck Ack(TrialResult r, TellStatus status, string message) => new()
    {
        Trial = new TrialRef { StudyId = r.StudyId, TrialNumber = r.TrialNumber, Attempt = r.Attempt },
        Status = status,
        Message = message,
    };

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Worker {WorkerId} connected with capacity {Capacity} from {Peer}")]
    private partial void LogWorkerConnected(string workerId, int capacity, string peer);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Worker {WorkerId} disconnected")]
    private partial void LogWorkerDisconnected(string workerId);
}
