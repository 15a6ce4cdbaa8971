using OptimizerGrpc.Core.Studies;
using OptimizerGrpc.Server.Engine.Store;

namespace OptimizerGrpc.Server.Engine;

/// <summary>
/// One study's live state behind one gate: every operation takes the study's lock, so a study is single-threaded and
/// its method needs no locks. Each operation that changes state returns the task of the write that records it, already
/// queued to the store, and callers answer only after it completed. The work is done by the parts it holds: the
/// <see cref="TrialDispatcher"/> (hand-out and leases), the <see cref="ResultRecorder"/> (results), the
/// <see cref="StageProgression"/> (stages and completion) and the <see cref="RuntimeSnapshot"/> (its stored form).
/// </summary>
internal sealed class StudyRuntime
{
    private readonly object _gate = new();
    private readonly StudyBook _book;
    private readonly TrialDispatcher _dispatcher;
    private readonly ResultRecorder _recorder;
    private readonly StageProgression _progression;

    private StudyRuntime(StoredStudy row, StudyPlan plan, IStudyStore store, IEventPublisher events, TimeProvider time, EngineLimits? limits)
    {
        SpecDocument = row.SpecDocument;
        Owner = row.Owner;
        DisplayName = row.DisplayName;
        _book = new StudyBook(row.Key, row.StudyId, plan, row.CreateTimeMs, store, events, time) { Limits = limits ?? EngineLimits.Unlimited };
        _book.Snapshot = () => RuntimeSnapshot.Write(_book);
        _dispatcher = new TrialDispatcher(_book);
        _recorder = new ResultRecorder(_book);
        _progression = new StageProgression(_book, stage => StudyViews.Of(_book, stage));
    }

    /// <summary>The spec the study was created with, as stored; the engine never reads it (see <see cref="ISpecCompiler"/>).</summary>
    public byte[] SpecDocument { get; }

    /// <summary>Who created the study (see <see cref="StoredStudy.Owner"/>).</summary>
    public string Owner { get; }

    public string DisplayName { get; }

    public long Key => _book.Key;

    public string StudyId => _book.StudyId;

    public StudyPlan Plan => _book.Plan;

    /// <summary>Pulsed whenever trials may have become available (results, requeues, resume) or the study ended.</summary>
    public AsyncSignal Changed => _book.Changed;

    /// <summary>Trial numbers skipped at restore because the previous run did not stop cleanly (0 after a clean stop).</summary>
    public long SkippedNumbers { get; private set; }

    public StudyState State
    {
        get
        {
            lock (_gate)
            {
                return _book.State;
            }
        }
    }

    public bool IsTerminal => State.IsTerminal();

    public long LastSequence
    {
        get
        {
            lock (_gate)
            {
                return _book.LastSequence;
            }
        }
    }

    /// <summary>The highest sequence whose changes are all stored (see <see cref="StudyBook.CommittedSequence"/>).</summary>
    public long CommittedSequence => _book.CommittedSequence;

    /// <summary>Creates a new study; the returned task completes when it is stored.</summary>
    public static (StudyRuntime Runtime, Task Committed) Create(
        StoredStudy row, StudyPlan plan, bool startPaused, IStudyStore store, IEventPublisher events, TimeProvider time, EngineLimits? limits = null)
    {
        var runtime = new StudyRuntime(row, plan, store, events, time, limits);
        var book = runtime._book;
        lock (runtime._gate)
        {
            book.State = StudyState.Created;
            var batch = new WriteBatch();
            batch.Add(new InsertStudy(row.Key, row.StudyId, row.DisplayName, StudyState.Created, row.CreateTimeMs, row.SpecDocument, row.Owner));
            book.ChangeState(startPaused ? StudyState.Paused : StudyState.Running, "", batch);
            runtime._progression.Advance(batch);
            return (runtime, book.Submit(batch));
        }
    }

    /// <summary>Restores each stage's list of kept equity curves (see <see cref="EquityKeeper"/>) after a restart.</summary>
    public void RestoreEquity(IReadOnlyList<KeptEquity> kept)
    {
        lock (_gate)
        {
            foreach (var group in kept.GroupBy(k => k.StageIndex).Where(g => g.Key >= 0 && g.Key < _book.Stages.Length))
            {
                EquityKeeper.Restore(_book.Stages[group.Key], group);
            }
        }
    }

    /// <summary>A stored study's snapshot in a runtime never registered and never written: only for <see cref="View"/> and the spec.</summary>
    public static StudyRuntime Detached(StoredStudy row, StudyPlan plan, IStudyStore store, IEventPublisher events, TimeProvider time)
    {
        var runtime = new StudyRuntime(row, plan, store, events, time, null);
        lock (runtime._gate)
        {
            RuntimeSnapshot.Read(runtime._book, row.Runtime);
            runtime._book.UpdateMs = row.UpdateTimeMs;
            runtime._book.LastSequence = Math.Max(runtime._book.LastSequence, row.LastSequence);
        }

        return runtime;
    }

    /// <summary>Rebuilds a study from its stored row and trials. Trials that were leased return to PENDING.</summary>
    /// <param name="finished">Completed and infeasible trials, when the plan reuses results (<see cref="StudyBook.ReusesResults"/>).</param>
    public static (StudyRuntime Runtime, Task Committed) Restore(
        StoredStudy row, StudyPlan plan, IReadOnlyList<TrialRecord> unfinished, IEnumerable<TrialRecord> finished,
        IStudyStore store, IEventPublisher events, TimeProvider time, EngineLimits? limits = null)
    {
        var runtime = new StudyRuntime(row, plan, store, events, time, limits);
        var book = runtime._book;
        lock (runtime._gate)
        {
            RuntimeSnapshot.Read(book, row.Runtime);
            book.UpdateMs = row.UpdateTimeMs;
            book.LastSequence = Math.Max(book.LastSequence, row.LastSequence);
            book.StoredUpTo(row.LastSequence);

            // Unreleased reservation: the server stopped uncleanly; numbers up to it may be held by workers.
            runtime.SkippedNumbers = book.Queue.ReservedNumber - book.Queue.NextNumber;
            book.Queue.NextNumber = Math.Max(book.Queue.NextNumber, book.Queue.ReservedNumber);
            foreach (var trial in finished)
            {
                book.Stages[trial.StageIndex].RememberEvaluated(trial);
            }

            var batch = new WriteBatch();
            var now = book.Now;
            foreach (var trial in unfinished.OrderBy(t => t.Number))
            {
                var stage = book.Stages[trial.StageIndex];
                var active = new ActiveTrial(trial, stage.FreeAssignment(trial.Params), trial.StageIndex);
                book.Queue.Add(active);
                stage.InFlight?.Add(StageRuntime.KeyOf(active.Assignment));
                if (trial.State == TrialState.Running)
                {
                    runtime._dispatcher.Requeue(active, now, "server restarted while the trial was leased", batch, runtime._recorder, leasedHere: false);
                }
                else
                {
                    book.Queue.Enqueue(trial.Number, front: false);
                }
            }

            runtime._progression.Advance(batch);
            return (runtime, book.Submit(batch));
        }
    }

    /// <summary>Leases up to <paramref name="max"/> trials to a worker (requeued first), within the lease limits (<see cref="TrialDispatcher.Reserve"/>).</summary>
    public (List<TrialRecord> Trials, Task Committed) Lease(string workerId, int max, TimeSpan? leaseDuration, bool refuseWhenFull = false)
    {
        lock (_gate)
        {
            int granted = _book.State == StudyState.Running && max > 0 ? _dispatcher.Reserve(workerId, max, refuseWhenFull) : 0;
            if (granted == 0)
            {
                return ([], Task.CompletedTask);
            }

            var batch = new WriteBatch();
            List<TrialRecord> leased;
            try
            {
                leased = _dispatcher.Lease(workerId, granted, leaseDuration ?? Plan.LeaseDuration, batch);
            }
            finally
            {
                // Each started lease keeps its unit of the reservation until it ends; the rest goes back now.
                _book.Limits.Release(workerId, granted - _dispatcher.LastLeased);
            }

            if (leased.Count == 0)
            {
                _progression.Advance(batch);
            }

            // Only trial hand-outs (no events, no state change, no new number reservation): see WriteBatch.Relaxed.
            batch.Relaxed = batch.Published.Count == 0 && !_book.Queue.ReservedInBatch;
            _book.Queue.ReservedInBatch = false;
            return (leased, _book.Submit(batch));
        }
    }

    /// <summary>Records reported outcomes. The first outcome for an attempt wins; later ones are duplicates.</summary>
    public (TellResult[] Results, Task Committed) Tell(IReadOnlyList<ReportedOutcome> outcomes)
    {
        var results = new TellResult[outcomes.Count];
        var unknown = new List<int>();
        var prepared = outcomes.Any(o => o.Outcome.Record is not null) ? ResultRecorder.Prepare(outcomes, StagesOf(outcomes), Plan.Scorer) : null;
        Task committed;
        bool requeued;
        lock (_gate)
        {
            var batch = new WriteBatch();
            var now = _book.Now;
            for (int i = 0; i < outcomes.Count; i++)
            {
                results[i] = _recorder.Record(outcomes[i], prepared?[i], now, batch, _dispatcher, out bool needsStore);
                if (needsStore)
                {
                    unknown.Add(i);
                }
            }

            _progression.Advance(batch);
            // A result that found its lease expired put the trial back in the queue (see ResultRecorder.Record).
            requeued = batch.Published.Any(e => e is TrialRequeuedEvent);
            committed = _book.Submit(batch);
        }

        if (requeued || results.Any(r => r.Status == TellStatus.Accepted))
        {
            Changed.Pulse();
        }

        return (results, unknown.Count == 0 ? committed : ResolveFromStoreAsync(outcomes, results, unknown, committed));
    }

    /// <summary>
    /// Renews the leases of a worker's running trials, each by the lease length it was handed out with. The renewed
    /// expiry is stored (a relaxed commit, like a hand-out): the task completes when it is.
    /// </summary>
    public Task Heartbeat(string workerId, IEnumerable<(long Number, int Attempt)> running)
    {
        lock (_gate)
        {
            var batch = new WriteBatch { Relaxed = true };
            _dispatcher.Renew(workerId, running, _book.Now, batch);
            return _book.Submit(batch);
        }
    }

    /// <summary>Gives back the per-worker lease counts of this study's running trials: it is being deleted.</summary>
    public void ReleaseLeaseCounts()
    {
        lock (_gate)
        {
            _dispatcher.ReleaseAll();
        }
    }

    /// <summary>Returns trials whose lease has expired to PENDING with attempt + 1, or FAILED when out of attempts.</summary>
    public Task ExpireLeases()
    {
        Task committed;
        lock (_gate)
        {
            WriteBatch? batch = null;
            if (!_dispatcher.ExpireLeases(_book.Now, ref batch))
            {
                return Task.CompletedTask;
            }

            _progression.Advance(batch!);
            committed = _book.Submit(batch!);
        }

        Changed.Pulse();
        return committed;
    }

    public Task Pause() => Transition(StudyState.Paused, from: [StudyState.Running, StudyState.Created]);

    public Task Resume() => Transition(StudyState.Running, from: [StudyState.Paused, StudyState.Created]);

    /// <summary>Stops the study: pending trials are pruned, results of running trials are still accepted.</summary>
    public Task Stop(string reason)
    {
        Task committed;
        lock (_gate)
        {
            if (_book.State.IsTerminal())
            {
                throw new InvalidStudyStateException($"study '{StudyId}' is already {_book.State}");
            }

            var batch = new WriteBatch();
            var now = _book.Now;
            while (_book.Queue.TryDequeue(out var active))
            {
                _book.Counts.Pending--;
                _book.Stages[active.Stage].Counts.Pending--;
                _recorder.Close(active, TrialState.Pruned, "the study stopped before the trial ran", now, batch);
            }

            _book.ChangeState(StudyState.Stopped, string.IsNullOrEmpty(reason) ? "stopped by request" : reason, batch);
            committed = _book.Submit(batch);
        }

        Changed.Pulse();
        return committed;
    }

    /// <summary>
    /// At a graceful shutdown: gives back the unused reserved trial numbers (fully durable), so the next start continues
    /// the numbering without a gap.
    /// </summary>
    public Task ReleaseReservedNumbers()
    {
        lock (_gate)
        {
            if (_book.Queue.ReservedNumber <= _book.Queue.NextNumber)
            {
                return Task.CompletedTask;
            }

            _book.Queue.ReservedNumber = _book.Queue.NextNumber;
            var batch = new WriteBatch();
            batch.Add(_book.StudyRow());
            return _book.Store.Submit(batch);
        }
    }

    /// <summary>A consistent picture of the study.</summary>
    public StudyView View()
    {
        lock (_gate)
        {
            return StudyViews.Of(_book);
        }
    }

    public Task<TrialRecord?> ReadTrialAsync(long number, CancellationToken ct = default) => _book.Store.ReadTrialAsync(Key, number, Plan.Space, ct);

    private Task Transition(StudyState to, StudyState[] from)
    {
        Task committed;
        lock (_gate)
        {
            if (_book.State == to)
            {
                return Task.CompletedTask;
            }

            if (!from.Contains(_book.State))
            {
                throw new InvalidStudyStateException($"study '{StudyId}' is {_book.State}; it cannot become {to}");
            }

            var batch = new WriteBatch();
            _book.ChangeState(to, "", batch);
            _progression.Advance(batch);
            committed = _book.Submit(batch);
        }

        Changed.Pulse();
        return committed;
    }

    private StageDefinition?[] StagesOf(IReadOnlyList<ReportedOutcome> outcomes)
    {
        var stages = new StageDefinition?[outcomes.Count];
        lock (_gate)
        {
            for (int i = 0; i < outcomes.Count; i++)
            {
                if (outcomes[i].Outcome.Record is not null && _book.Queue.TryGet(outcomes[i].TrialNumber, out var active))
                {
                    stages[i] = _book.Stages[active.Stage].Definition;
                }
            }
        }

        return stages;
    }

    private async Task ResolveFromStoreAsync(IReadOnlyList<ReportedOutcome> outcomes, TellResult[] results, List<int> unknown, Task committed)
    {
        await committed.ConfigureAwait(false);
        foreach (int i in unknown)
        {
            var stored = await ReadTrialAsync(outcomes[i].TrialNumber).ConfigureAwait(false);
            results[i] = stored is null
                ? TellResult.NotFound(StudyId, outcomes[i].TrialNumber)
                : TellLedger.Answer(outcomes[i], stored.Attempt, reportedByWorker: stored.EndTime is not null && !stored.ClosedWithoutResult);
        }
    }
}
