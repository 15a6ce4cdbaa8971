using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;
using OptimizerGrpc.Server.Engine.Store;

namespace OptimizerGrpc.Server.Engine;

/// <summary>
/// Hands out trials: requeued trials first, then new assignments from each running stage's method, and returns expired
/// leases to the queue. A proposal that repeats an evaluated assignment gets its result back at once; one that repeats
/// an assignment in flight waits for that trial's result instead of a second backtest. Used under the study's gate.
/// </summary>
internal sealed class TrialDispatcher(StudyBook book)
{
    private readonly List<ParamValue[]> _askBuffer = [];

    /// <summary>How many leases the last <see cref="Lease"/> started, even if it then threw.</summary>
    public int LastLeased { get; private set; }

    /// <summary>
    /// How many of <paramref name="max"/> leases the study and the worker have room for (reserved for the worker; the
    /// caller gives back what it does not use). None is <see cref="LeaseLimitException"/> when <paramref name="refuseWhenFull"/>.
    /// </summary>
    public int Reserve(string workerId, int max, bool refuseWhenFull)
    {
        var limits = book.Limits;
        long studyRoom = limits.MaxLeasesPerStudy - book.Counts.Running;
        if (studyRoom <= 0)
        {
            return refuseWhenFull
                ? throw new LeaseLimitException($"study '{book.StudyId}' has {book.Counts.Running} trials leased, the most allowed ({limits.MaxLeasesPerStudy}); report results or let leases expire")
                : 0;
        }

        int granted = limits.Reserve(workerId, (int)Math.Min(max, studyRoom));
        return granted == 0 && refuseWhenFull
            ? throw new LeaseLimitException($"the worker holds {limits.MaxLeasesPerWorker} leased trials, the most allowed per worker id; report results or let leases expire")
            : granted;
    }

    /// <summary>Leases up to <paramref name="max"/> trials to a worker, recording them in <paramref name="batch"/>.</summary>
    public List<TrialRecord> Lease(string workerId, int max, TimeSpan leaseDuration, WriteBatch batch)
    {
        LastLeased = 0;
        var leased = new List<TrialRecord>(Math.Min(max, 1024));
        var now = book.Now;
        var expiry = now + leaseDuration;
        while (leased.Count < max && book.Queue.TryDequeue(out var active))
        {
            leased.Add(Start(active, workerId, now, expiry, batch));
        }

        foreach (var stage in book.Stages)
        {
            if (leased.Count >= max)
            {
                break;
            }

            if (stage.State != StageState.Running || stage.Method!.IsExhausted || stage.BudgetSpent || stage.Saturated)
            {
                continue;
            }

            int want = max - leased.Count;
            if (stage.Definition.MaxTrials > 0)
            {
                want = (int)Math.Min(want, stage.Definition.MaxTrials - stage.Created);
            }

            LeaseFromMethod(stage, want, workerId, now, expiry, leased, batch);
        }

        return leased;
    }

    // Proposals already evaluated (or in flight) get their result back at once (or when it arrives) and the method is
    // asked again, until it gives a new assignment, waits, or has repeated itself SaturationRepeats times in a row (then
    // the stage is treated as exhausted), so this always ends.
    private void LeaseFromMethod(StageRuntime stage, int want, string workerId, DateTimeOffset now, DateTimeOffset expiry, List<TrialRecord> leased, WriteBatch batch)
    {
        var method = stage.Method!;
        while (want > 0 && !method.IsExhausted && !stage.BudgetSpent && !stage.Saturated)
        {
            _askBuffer.Clear();
            int got = method.Ask(want, _askBuffer);
            stage.Starved = got < want && method.Starved;
            int reused = 0;
            foreach (var assignment in _askBuffer)
            {
                if (stage.Saturated)
                {
                    break; // the rest of this batch is never evaluated: the stage ends when its trials are back
                }

                if (stage.Evaluated is { } evaluated)
                {
                    string key = StageRuntime.KeyOf(assignment);
                    if (evaluated.TryGetValue(key, out var known))
                    {
                        method.Tell(known with { Params = assignment });
                        reused++;
                        stage.CountRepeat();
                        continue;
                    }

                    if (!stage.InFlight!.Add(key))
                    {
                        // The same assignment is being evaluated: wait for that result instead of a second backtest.
                        stage.AddWaiting(key, assignment);
                        reused++;
                        stage.CountRepeat();
                        continue;
                    }
                }

                var active = CreateTrial(stage, assignment, now);
                leased.Add(Start(active, workerId, now, expiry, batch));
                stage.RepeatRun = 0;
                want--;
            }

            if (reused == 0 || got == 0)
            {
                break;
            }
        }
    }

    /// <summary>
    /// Renews the leases of a worker's running trials (the attempt and the worker must match) from now, by the lease
    /// length each was handed out with. A lease that has already passed is not renewed: with strict leases its attempt
    /// is void even before the sweeper runs.
    /// </summary>
    public void Renew(string workerId, IEnumerable<(long Number, int Attempt)> running, DateTimeOffset now, WriteBatch batch)
    {
        foreach (var (number, attempt) in running)
        {
            if (book.Queue.TryGet(number, out var a) && a.Trial.State == TrialState.Running
                && a.Trial.Attempt == attempt && a.Trial.WorkerId == workerId && a.Trial.LeaseExpireTime > now)
            {
                a.Trial = book.Write(a.Trial with { LeaseExpireTime = now + a.LeaseLength }, batch);
            }
        }
    }

    /// <summary>Gives back the worker counts of every running trial (the study is being deleted).</summary>
    public void ReleaseAll()
    {
        foreach (var active in book.Queue.Active.Where(a => a.Trial.State == TrialState.Running))
        {
            book.Limits.Release(active.Trial.WorkerId);
        }
    }

    /// <summary>Returns running trials whose lease has expired to the queue; true when any was.</summary>
    public bool ExpireLeases(DateTimeOffset now, ref WriteBatch? batch)
    {
        bool any = false;
        // Removing a finished trial while enumerating is safe: Dictionary.Remove does not invalidate its enumerator.
        foreach (var active in book.Queue.Active)
        {
            if (active.Trial.State == TrialState.Running && active.Trial.LeaseExpireTime <= now)
            {
                batch ??= new WriteBatch();
                Requeue(active, now, $"lease expired (worker '{active.Trial.WorkerId}')", batch);
                any = true;
            }
        }

        return any;
    }

    /// <summary>
    /// Ends a trial's running attempt without a result: back to the queue with attempt + 1, or closed (FAILED when out
    /// of attempts, PRUNED when the study has ended).
    /// </summary>
    /// <param name="leasedHere">False for a lease of a previous run found at restore: this process never counted it.</param>
    public void Requeue(ActiveTrial active, DateTimeOffset now, string why, WriteBatch batch, ResultRecorder? closer = null, bool leasedHere = true)
    {
        var trial = active.Trial;
        string worker = trial.WorkerId;
        book.Counts.Running--;
        book.Stages[active.Stage].Counts.Running--;
        if (leasedHere)
        {
            book.Limits.Release(worker);
        }

        closer ??= new ResultRecorder(book);
        if (book.State.IsTerminal())
        {
            closer.Close(active, TrialState.Pruned, $"{why} after the study ended", now, batch);
        }
        else if (trial.Attempt >= book.Plan.MaxAttempts)
        {
            closer.Close(active, TrialState.Failed, $"{why}; gave up after {trial.Attempt} attempts", now, batch);
        }
        else
        {
            book.Counts.Pending++;
            book.Stages[active.Stage].Counts.Pending++;
            book.Queue.Enqueue(trial.Number, front: true);
            active.Trial = book.Write(trial with { Attempt = trial.Attempt + 1, State = TrialState.Pending, WorkerId = "", LeaseExpireTime = null, StartTime = null }, batch);
        }

        book.Append(new TrialRequeuedEvent(trial.Number, active.Trial.Attempt, worker), now, batch);
    }

    private ActiveTrial CreateTrial(StageRuntime stage, ParamValue[] assignment, DateTimeOffset now)
    {
        var trial = new TrialRecord
        {
            StudyId = book.StudyId,
            StageIndex = stage.Definition.Index,
            Number = book.Queue.TakeNumber(),
            Space = book.Plan.Space,
            Params = stage.Compose(assignment),
            Context = stage.Definition.Context,
            CreateTime = now,
        };
        stage.Created++;
        stage.Counts.Pending++;
        book.Counts.Pending++;
        var active = new ActiveTrial(trial, assignment, stage.Definition.Index);
        book.Queue.Add(active);
        return active;
    }

    private TrialRecord Start(ActiveTrial active, string workerId, DateTimeOffset now, DateTimeOffset expiry, WriteBatch batch)
    {
        LastLeased++;
        book.Counts.Pending--;
        book.Counts.Running++;
        book.Stages[active.Stage].Counts.Pending--;
        book.Stages[active.Stage].Counts.Running++;
        active.LeaseLength = expiry - now;
        active.Trial = book.Write(active.Trial with { State = TrialState.Running, WorkerId = workerId, StartTime = now, LeaseExpireTime = expiry }, batch);
        return active.Trial;
    }
}
