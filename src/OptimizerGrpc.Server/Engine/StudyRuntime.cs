using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Scoring;
using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Server.Storage;

namespace OptimizerGrpc.Server.Engine;

/// <summary>
/// One study's live state: its method, queue of pending trials, leases, counters and best trial. Every
/// operation runs under the study's gate, so a study is single-threaded and the method needs no locks;
/// every operation that changes state returns the <see cref="WriteBatch"/> that records it, already queued
/// to the store, and callers answer only after it has committed.
/// </summary>
internal sealed partial class StudyRuntime
{
    // Reasons of trials closed by the server rather than by a worker's result start with this.
    private const string ClosedWithoutResult = "closed without a result";

    // Late or duplicate tells for recently finished trials are answered from memory; older ones from the store.
    private const int RecentlyFinishedCapacity = 1 << 16;

    private readonly object _gate = new();
    private readonly StoreWriter _writer;
    private readonly EventHub _events;
    private readonly TimeProvider _time;
    private readonly Dictionary<long, ActiveTrial> _active = [];
    private readonly LinkedList<long> _pending = new();
    private readonly Dictionary<long, (int Attempt, bool Reported)> _recentlyFinished = [];
    private readonly Queue<long> _recentlyFinishedOrder = new();
    private readonly List<ParamValue[]> _askBuffer = [];
    private readonly StageRuntime[] _stages;
    private StudyState _state;
    private string _stateReason = "";
    private long _updateMs;
    private long _lastSequence;
    private long _nextNumber;

    // Trial numbers are reserved in blocks by a fully durable commit before any of them is handed out. A graceful
    // shutdown releases the unused rest; after an unclean one, numbering resumes past the reservation, so a number
    // that may have been handed out in a lost relaxed commit is never issued again for another assignment.
    private const long NumberBlock = 4096;
    private long _reservedNumber;
    private bool _reservedInBatch;
    private Counts _counts;
    private Trial? _best;
    private double _bestScore = double.NegativeInfinity;

    private StudyRuntime(long key, string studyId, StudySpec spec, StudyPlan plan, long createMs, StoreWriter writer, EventHub events, TimeProvider time)
    {
        Key = key;
        StudyId = studyId;
        Spec = spec;
        Plan = plan;
        CreateMs = createMs;
        _updateMs = createMs;
        _writer = writer;
        _events = events;
        _time = time;
        _stages = [.. plan.Stages.Select(d => new StageRuntime(d))];
        foreach (var stage in _stages.Where(st => !(spec.Method?.AllowRepeats ?? false) && IsDiscrete(st.Definition.Space)))
        {
            stage.EnableReuse();
        }
    }

    public long Key { get; }

    public string StudyId { get; }

    public StudySpec Spec { get; }

    public StudyPlan Plan { get; }

    public long CreateMs { get; }

    /// <summary>Pulsed whenever trials may have become available (results, requeues, resume) or the study ended.</summary>
    public AsyncSignal Changed { get; } = new();

    public bool IsTerminal
    {
        get
        {
            lock (_gate)
            {
                return IsTerminalState(_state);
            }
        }
    }

    /// <summary>Leases up to <paramref name="max"/> trials to a worker: requeued trials first, then new ones from the method.</summary>
    public (List<Trial> Trials, Task Committed) Lease(string workerId, int max, TimeSpan? leaseDuration)
    {
        var leased = new List<Trial>(Math.Min(max, 1024));
        lock (_gate)
        {
            if (_state != StudyState.Running || max <= 0)
            {
                return (leased, Task.CompletedTask);
            }

            var batch = new WriteBatch();
            var now = _time.GetUtcNow();
            var expiry = Timestamp.FromDateTimeOffset(now + (leaseDuration ?? Plan.LeaseDuration));
            var nowTs = Timestamp.FromDateTimeOffset(now);
            while (leased.Count < max && _pending.First is { } node)
            {
                _pending.RemoveFirst();
                var active = _active[node.Value];
                leased.Add(Start(active, workerId, nowTs, expiry, batch));
            }

            foreach (var stage in _stages)
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

                // Proposals already evaluated (or in flight) get their result back at once (or when it arrives) and the
                // method is asked again, until it gives a new assignment, waits, or has repeated itself
                // SaturationRepeats times in a row (then the stage is treated as exhausted), so this always ends.
                while (want > 0 && !stage.Method.IsExhausted && !stage.BudgetSpent && !stage.Saturated)
                {
                    _askBuffer.Clear();
                    int got = stage.Method.Ask(want, _askBuffer);
                    stage.Starved = got < want && stage.Method.Starved;
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
                                stage.Method.Tell(known with { Params = assignment });
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

                        var active = CreateTrial(stage, assignment, nowTs);
                        leased.Add(Start(active, workerId, nowTs, expiry, batch));
                        stage.RepeatRun = 0;
                        want--;
                    }

                    if (reused == 0 || got == 0)
                    {
                        break;
                    }
                }
            }

            if (leased.Count == 0)
            {
                CompleteIfDone(batch);
            }

            // Only trial hand-outs (no events, no state change, no new number reservation): see WriteBatch.Relaxed.
            batch.Relaxed = batch.Published.Count == 0 && !_reservedInBatch;
            _reservedInBatch = false;
            return (leased, Submit(batch));
        }
    }

    /// <summary>Records reported outcomes. The first outcome for an attempt wins; later ones are duplicates.</summary>
    public (TellResult[] Results, Task Committed) Tell(IReadOnlyList<ReportedOutcome> outcomes)
    {
        var results = new TellResult[outcomes.Count];
        var unknown = new List<int>();
        var verdicts = PreScore(outcomes);
        Task committed;
        lock (_gate)
        {
            var batch = new WriteBatch();
            var now = _time.GetUtcNow();
            for (int i = 0; i < outcomes.Count; i++)
            {
                results[i] = TellOne(outcomes[i], verdicts?[i], now, batch, out bool needsStore);
                if (needsStore)
                {
                    unknown.Add(i);
                }
            }

            CompleteIfDone(batch);
            committed = Submit(batch);
        }

        if (results.Any(r => r.Status == TellStatus.Accepted))
        {
            Changed.Pulse();
        }

        return (results, unknown.Count == 0 ? committed : ResolveFromStoreAsync(outcomes, results, unknown, committed));
    }

    /// <summary>Renews the leases of a worker's running trials.</summary>
    public void Heartbeat(string workerId, IEnumerable<(long Number, int Attempt)> running)
    {
        lock (_gate)
        {
            var expiry = Timestamp.FromDateTimeOffset(_time.GetUtcNow() + Plan.LeaseDuration);
            foreach (var (number, attempt) in running)
            {
                if (_active.TryGetValue(number, out var a) && a.Trial.State == TrialState.Running
                    && a.Trial.Attempt == attempt && a.Trial.WorkerId == workerId)
                {
                    a.Trial.LeaseExpireTime = expiry;
                }
            }
        }
    }

    /// <summary>Returns trials whose lease has expired to PENDING with attempt + 1, or FAILED when out of attempts.</summary>
    public Task ExpireLeases()
    {
        Task committed;
        bool requeued = false;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var nowTs = Timestamp.FromDateTimeOffset(now);
            WriteBatch? batch = null;
            foreach (var active in _active.Values)
            {
                var trial = active.Trial;
                if (trial.State == TrialState.Running && trial.LeaseExpireTime.ToDateTimeOffset() <= now)
                {
                    batch ??= new WriteBatch();
                    Requeue(active, nowTs, $"lease expired (worker '{trial.WorkerId}')", batch);
                    requeued = true;
                }
            }

            if (batch is null)
            {
                return Task.CompletedTask;
            }

            CompleteIfDone(batch);
            committed = Submit(batch);
        }

        if (requeued)
        {
            Changed.Pulse();
        }

        return committed;
    }

    private ActiveTrial CreateTrial(StageRuntime stage, ParamValue[] assignment, Timestamp now)
    {
        if (_nextNumber >= _reservedNumber)
        {
            _reservedNumber = _nextNumber + NumberBlock;
            _reservedInBatch = true;
        }

        var trial = new Trial
        {
            StudyId = StudyId,
            StageId = stage.StageId,
            Number = _nextNumber++,
            Attempt = 1,
            State = TrialState.Pending,
            DataContext = stage.Definition.Context,
            CreateTime = now,
        };
        Services.ProtoMapper.FillParams(trial.Params, Plan.Space, stage.Compose(assignment));
        stage.Created++;
        stage.Counts.Pending++;
        _counts.Pending++;
        var active = new ActiveTrial(trial, assignment, stage.Definition.Index);
        _active.Add(trial.Number, active);
        return active;
    }

    private Trial Start(ActiveTrial active, string workerId, Timestamp now, Timestamp expiry, WriteBatch batch)
    {
        var trial = active.Trial;
        trial.State = TrialState.Running;
        trial.WorkerId = workerId;
        trial.StartTime = now;
        trial.LeaseExpireTime = expiry;
        _counts.Pending--;
        _counts.Running++;
        _stages[active.Stage].Counts.Pending--;
        _stages[active.Stage].Counts.Running++;
        WriteTrial(trial, batch, active.Stage);
        return trial.Clone();
    }

    private void Requeue(ActiveTrial active, Timestamp now, string why, WriteBatch batch)
    {
        var trial = active.Trial;
        string worker = trial.WorkerId;
        _counts.Running--;
        _stages[active.Stage].Counts.Running--;
        if (IsTerminalState(_state))
        {
            Finish(active, TrialState.Pruned, $"{ClosedWithoutResult}: {why} after the study ended", now, batch);
        }
        else if (trial.Attempt >= Plan.MaxAttempts)
        {
            Finish(active, TrialState.Failed, $"{ClosedWithoutResult}: {why}; gave up after {trial.Attempt} attempts", now, batch);
        }
        else
        {
            trial.Attempt++;
            trial.State = TrialState.Pending;
            trial.WorkerId = "";
            trial.LeaseExpireTime = null;
            trial.StartTime = null;
            _counts.Pending++;
            _stages[active.Stage].Counts.Pending++;
            // Requeued trials go first: they are the oldest work and may be blocking a generation.
            _pending.AddFirst(trial.Number);
            WriteTrial(trial, batch, active.Stage);
        }

        AppendEvent(new StudyEvent
        {
            TrialRequeued = new TrialRequeued { StudyId = StudyId, Number = trial.Number, Attempt = trial.Attempt, WorkerId = worker },
        }, now, batch);
    }

    // Metrics from backtest records are the costly part of a tell (a 62,496-bar record takes ~0.3 ms), so they are
    // computed before taking the study's gate; scoring is pure given the outcome and the trial's stage.
    private ScoringVerdict?[]? PreScore(IReadOnlyList<ReportedOutcome> outcomes)
    {
        if (!outcomes.Any(o => o.Outcome.Record is not null))
        {
            return null;
        }

        var stages = new StageDefinition?[outcomes.Count];
        lock (_gate)
        {
            for (int i = 0; i < outcomes.Count; i++)
            {
                if (outcomes[i].Outcome.Record is not null && _active.TryGetValue(outcomes[i].TrialNumber, out var active))
                {
                    stages[i] = _stages[active.Stage].Definition;
                }
            }
        }

        var verdicts = new ScoringVerdict?[outcomes.Count];
        for (int i = 0; i < outcomes.Count; i++)
        {
            if (stages[i] is { } stage && outcomes[i].Outcome is { Error: null, Record: { } record } outcome)
            {
                verdicts[i] = Plan.Scorer.Score(outcome.Values, Services.ProtoMapper.ToSeries(record), stage.ScoreSegments);
            }
        }

        return verdicts;
    }

    private TellResult TellOne(in ReportedOutcome reported, ScoringVerdict? verdict, DateTimeOffset now, WriteBatch batch, out bool needsStore)
    {
        needsStore = false;
        if (reported.TrialNumber < 0 || reported.TrialNumber >= _nextNumber)
        {
            return TellResult.NotFound(StudyId, reported.TrialNumber);
        }

        if (!_active.TryGetValue(reported.TrialNumber, out var active))
        {
            if (_recentlyFinished.TryGetValue(reported.TrialNumber, out var finished))
            {
                return FinishedAnswer(reported, finished.Attempt, finished.Reported);
            }

            needsStore = true;
            return default;
        }

        var trial = active.Trial;
        if (reported.Attempt < trial.Attempt)
        {
            return new TellResult(TellStatus.Expired, null,
                $"attempt {reported.Attempt} of trial {trial.Number} expired; the trial is on attempt {trial.Attempt}");
        }

        if (reported.Attempt > trial.Attempt || trial.State != TrialState.Running)
        {
            return new TellResult(TellStatus.Rejected, null,
                $"trial {trial.Number} has no running attempt {reported.Attempt} (state {trial.State}, attempt {trial.Attempt})");
        }

        var nowTs = Timestamp.FromDateTimeOffset(now);
        if (trial.LeaseExpireTime.ToDateTimeOffset() <= now)
        {
            // Strict leases: once expired, the attempt is void even if the sweeper has not run yet.
            Requeue(active, nowTs, $"lease expired (worker '{trial.WorkerId}')", batch);
            return new TellResult(TellStatus.Expired, null,
                $"the lease of trial {trial.Number} attempt {reported.Attempt} expired before its result arrived");
        }

        _counts.Running--;
        _stages[active.Stage].Counts.Running--;
        var (state, reason) = Judge(reported.Outcome, trial, _stages[active.Stage].Definition, verdict);
        Finish(active, state, reason, nowTs, batch);
        return new TellResult(TellStatus.Accepted, trial.Clone(), "");
    }

    private static TellResult FinishedAnswer(in ReportedOutcome reported, int finishedAttempt, bool reportedByWorker) =>
        !reportedByWorker
            ? new TellResult(TellStatus.Expired, null, $"trial {reported.TrialNumber} was closed without a result (its lease expired too often, or the study stopped); this result was ignored")
            : reported.Attempt == finishedAttempt
            ? new TellResult(TellStatus.Duplicate, null, $"trial {reported.TrialNumber} attempt {reported.Attempt} already has a result; this one was ignored")
            : new TellResult(TellStatus.Expired, null, $"attempt {reported.Attempt} of trial {reported.TrialNumber} expired; the trial finished on attempt {finishedAttempt}");

    /// <summary>Decides a trial's final state from its outcome, filling its values and objective values.</summary>
    private (TrialState State, string Reason) Judge(TrialOutcome outcome, Trial trial, StageDefinition stage, ScoringVerdict? scored)
    {
        if (outcome.Error is { } error)
        {
            string type = string.IsNullOrEmpty(error.Type) ? "" : error.Type + ": ";
            return (TrialState.Failed, "client error: " + type + error.Message);
        }

        var verdict = scored ?? Plan.Scorer.Score(outcome.Values, outcome.Record is { } record ? Services.ProtoMapper.ToSeries(record) : null, stage.ScoreSegments);
        foreach (var (name, value) in verdict.Values)
        {
            trial.Values[name] = value;
        }

        if (verdict.Failed)
        {
            return (TrialState.Failed, verdict.Reason);
        }

        if (stage.IsValidation && outcome.Record is { } validated)
        {
            trial.WindowEquity.AddRange(WindowEquity(validated, stage.ScoreSegments));
        }

        if (outcome.Pruned)
        {
            return (TrialState.Pruned, "pruned by the client");
        }

        foreach (var objective in stage.Objectives)
        {
            if (!verdict.Values.TryGetValue(objective.Metric, out double value))
            {
                return (TrialState.Failed, $"objective '{objective.Metric}' is missing from the outcome");
            }

            if (!double.IsFinite(value))
            {
                return (TrialState.Failed, $"objective '{objective.Metric}' is {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}, not a finite number");
            }

            trial.ObjectiveValues.Add(value);
        }

        return verdict.Feasible ? (TrialState.Completed, "") : (TrialState.Infeasible, verdict.Reason);
    }

    // The equity over the scored bars, starting at 1: the record itself (segment mode) or, in attribution mode,
    // the chained returns of the bars inside the window (the return of bar t is E[t] / E[t-1] - 1).
    private static IEnumerable<double> WindowEquity(BacktestRecord record, IReadOnlyList<(long Start, long End)>? segments)
    {
        var equity = record.Equity;
        double value = 1;
        yield return value;
        if (segments is null)
        {
            for (int t = 1; t < equity.Count; t++)
            {
                yield return value = equity[t] / equity[0];
            }

            yield break;
        }

        foreach (var (start, end) in segments)
        {
            for (long t = Math.Max(1, start - record.StartBar); t < Math.Min(equity.Count, end - record.StartBar); t++)
            {
                yield return value *= equity[(int)t] / equity[(int)t - 1];
            }
        }
    }

    private void Finish(ActiveTrial active, TrialState state, string reason, Timestamp now, WriteBatch batch)
    {
        var trial = active.Trial;
        trial.State = state;
        trial.Reason = reason;
        trial.EndTime = now;
        trial.LeaseExpireTime = null;
        _active.Remove(trial.Number);
        RememberFinished(trial.Number, trial.Attempt, reported: !reason.StartsWith(ClosedWithoutResult, StringComparison.Ordinal));
        var kind = state switch
        {
            TrialState.Completed => ObservationKind.Completed,
            TrialState.Infeasible => ObservationKind.Infeasible,
            TrialState.Pruned => ObservationKind.Pruned,
            _ => ObservationKind.Failed,
        };
        var stage = _stages[active.Stage];
        var definition = stage.Definition;
        double[] scores = kind == ObservationKind.Completed
            ? trial.ObjectiveValues.Select((v, i) => definition.Objectives[i].Maximize ? v : -v).ToArray()
            : [];
        // Weighted-sum stages give the method one scalar; others give it every objective.
        stage.Method?.Tell(new Observation(active.Assignment, definition.Weights is null || scores.Length == 0 ? scores : [definition.Rank(scores)], kind));
        _counts.Add(state);
        stage.Counts.Add(state);
        if (stage.Evaluated is { } evaluated)
        {
            string key = StageRuntime.KeyOf(active.Assignment);
            var told = new Observation(active.Assignment, definition.Weights is null || scores.Length == 0 ? scores : [definition.Rank(scores)], kind);
            if (kind is ObservationKind.Completed or ObservationKind.Infeasible)
            {
                evaluated.TryAdd(key, told);
            }

            // Proposals that waited for this assignment get its outcome, whatever it is (a failure too: same backtest).
            stage.InFlight!.Remove(key);
            if (stage.Waiting!.Remove(key, out var twins))
            {
                foreach (var twin in twins)
                {
                    stage.Method?.Tell(told with { Params = twin });
                }
            }
        }
        WriteTrial(trial, batch, active.Stage);
        batch.Published.Add(new StudyEvent { StudyId = StudyId, Sequence = trial.Sequence, Time = now, TrialFinished = new TrialFinished { Trial = trial.Clone() } });
        if (kind == ObservationKind.Completed && definition.Rank(scores) > stage.BestScore)
        {
            stage.BestScore = definition.Rank(scores);
            stage.Best = trial.Clone();
            AppendEvent(new StudyEvent { NewBest = new NewBest { StageId = trial.StageId, Trial = stage.Best.Clone() } }, now, batch);
            UpdateStudyBest(stage);
        }
    }

    private void RememberFinished(long number, int attempt, bool reported)
    {
        _recentlyFinished[number] = (attempt, reported);
        _recentlyFinishedOrder.Enqueue(number);
        if (_recentlyFinishedOrder.Count > RecentlyFinishedCapacity)
        {
            _recentlyFinished.Remove(_recentlyFinishedOrder.Dequeue());
        }
    }

    private async Task ResolveFromStoreAsync(IReadOnlyList<ReportedOutcome> outcomes, TellResult[] results, List<int> unknown, Task committed)
    {
        await committed.ConfigureAwait(false);
        foreach (int i in unknown)
        {
            var stored = await ReadTrialAsync(outcomes[i].TrialNumber).ConfigureAwait(false);
            results[i] = stored is null
                ? TellResult.NotFound(StudyId, outcomes[i].TrialNumber)
                : FinishedAnswer(outcomes[i], stored.Attempt, reportedByWorker: stored.EndTime is not null && !stored.Reason.StartsWith(ClosedWithoutResult, StringComparison.Ordinal));
        }
    }

    private void WriteTrial(Trial trial, WriteBatch batch, int stage)
    {
        trial.Sequence = ++_lastSequence;
        batch.Add(new UpsertTrialOp(Key, trial.Number, stage, (int)trial.State, trial.Sequence, trial.ToByteArray()));
    }

    // The study's best: in a sequence where a stage follows another, the later stage's winner (it includes the
    // earlier winners); between independent stages (parallel, regimes), the higher rank.
    private void UpdateStudyBest(StageRuntime stage)
    {
        int current = _best is null ? -1 : StageIndexOf(_best);
        bool follows = current >= 0 && stage.Definition.After.Contains(current);
        if (_best is null || follows || (current == stage.Definition.Index) || (!_stages[current].Definition.After.Contains(stage.Definition.Index) && stage.BestScore > _bestScore))
        {
            _best = stage.Best!.Clone();
            _bestScore = stage.BestScore;
        }
    }

    private static int StageIndexOf(Trial trial) => int.Parse(trial.StageId.AsSpan("stage-".Length), System.Globalization.CultureInfo.InvariantCulture);

    private void AppendEvent(StudyEvent e, Timestamp now, WriteBatch batch)
    {
        e.StudyId = StudyId;
        e.Sequence = ++_lastSequence;
        e.Time = now;
        batch.Add(new InsertEventOp(Key, e.Sequence, (int)e.KindCase, e.ToByteArray()));
        batch.Published.Add(e);
    }

    private Task Submit(WriteBatch batch)
    {
        if (batch.IsEmpty)
        {
            return Task.CompletedTask;
        }

        _updateMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        batch.Add(StudyRow());
        batch.Publisher = _events;
        return _writer.SubmitAsync(batch);
    }

    /// <summary>Whether any stage remembers evaluated assignments (restore must then read finished trials).</summary>
    public bool ReusesResults => _stages.Any(st => st.Evaluated is not null);

    private static bool IsDiscrete(SearchSpace space) =>
        space.Parameters.All(p => p.Domain is not FloatDomain { Step: null });

    // Restore: a finished trial's result becomes reusable again, exactly as when it finished.
    private void RememberEvaluated(Trial trial)
    {
        int index = StageIndexOf(trial);
        var stage = _stages[index];
        if (stage.Evaluated is null || trial.State is not (TrialState.Completed or TrialState.Infeasible)
            || trial.ObjectiveValues.Count != stage.Definition.Objectives.Count)
        {
            return;
        }

        var assignment = Services.ProtoMapper.ToAssignment(trial.Params, stage.Definition.Space);
        var kind = trial.State == TrialState.Completed ? ObservationKind.Completed : ObservationKind.Infeasible;
        double[] scores = kind == ObservationKind.Completed
            ? [.. trial.ObjectiveValues.Select((v, i) => stage.Definition.Objectives[i].Maximize ? v : -v)]
            : [];
        stage.Evaluated.TryAdd(StageRuntime.KeyOf(assignment), new Observation(assignment, stage.Definition.Weights is null || scores.Length == 0 ? scores : [stage.Definition.Rank(scores)], kind));
    }

    private sealed record ActiveTrial(Trial Trial, ParamValue[] Assignment, int Stage);
}
