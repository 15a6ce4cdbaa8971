using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Server.Storage;

namespace OptimizerGrpc.Server.Engine;

/// <summary>Creation, restore, state transitions and the runtime snapshot of a study.</summary>
internal sealed partial class StudyRuntime
{
    private const byte SnapshotVersion = 3;

    private Func<long, long, Task<Trial?>> _readTrial = (_, _) => Task.FromResult<Trial?>(null);

    /// <summary>Creates a new study; the returned task completes when it is stored.</summary>
    public static (StudyRuntime Runtime, Task Committed) Create(
        long key, string studyId, StudySpec spec, StudyPlan plan, bool startPaused, StoreWriter writer, EventHub events,
        TimeProvider time, Func<long, long, Task<Trial?>> readTrial)
    {
        var runtime = new StudyRuntime(key, studyId, spec, plan, time.GetUtcNow().ToUnixTimeMilliseconds(), writer, events, time)
        {
            _readTrial = readTrial,
            _state = StudyState.Created,
        };
        lock (runtime._gate)
        {
            var batch = new WriteBatch();
            batch.Add(new InsertStudyOp(key, studyId, spec.DisplayName, (int)StudyState.Created, runtime.CreateMs, spec.ToByteArray()));
            runtime.ChangeState(startPaused ? StudyState.Paused : StudyState.Running, "", batch);
            runtime.CompleteIfDone(batch);
            return (runtime, runtime.Submit(batch));
        }
    }

    /// <summary>Rebuilds a study from its stored row and unfinished trials. Trials that were leased return to PENDING.</summary>
    public static (StudyRuntime Runtime, Task Committed) Restore(
        StudyEntity row, StudySpec spec, StudyPlan plan, IReadOnlyList<Trial> unfinished, IEnumerable<Trial> finished, StoreWriter writer, EventHub events,
        TimeProvider time, Func<long, long, Task<Trial?>> readTrial)
    {
        var runtime = new StudyRuntime(row.Key, row.StudyId, spec, plan, row.CreateTimeMs, writer, events, time) { _readTrial = readTrial };
        lock (runtime._gate)
        {
            runtime.ReadSnapshot(row.Runtime);
            runtime._lastSequence = Math.Max(runtime._lastSequence, row.LastSequence);

            // Unreleased reservation: the server stopped uncleanly; numbers up to it may be held by workers.
            runtime.SkippedNumbers = runtime._reservedNumber - runtime._nextNumber;
            runtime._nextNumber = Math.Max(runtime._nextNumber, runtime._reservedNumber);
            foreach (var trial in finished)
            {
                runtime.RememberEvaluated(trial);
            }

            var batch = new WriteBatch();
            var now = Timestamp.FromDateTimeOffset(time.GetUtcNow());
            foreach (var trial in unfinished.OrderBy(t => t.Number))
            {
                int stageIndex = StageIndexOf(trial);
                var active = new ActiveTrial(trial, Services.ProtoMapper.ToAssignment(trial.Params, plan.Stages[stageIndex].Space), stageIndex);
                runtime._active.Add(trial.Number, active);
                runtime._stages[stageIndex].InFlight?.Add(StageRuntime.KeyOf(active.Assignment));
                if (trial.State == TrialState.Running)
                {
                    runtime.Requeue(active, now, "server restarted while the trial was leased", batch);
                }
                else
                {
                    runtime._pending.AddLast(trial.Number);
                }
            }

            runtime.CompleteIfDone(batch);
            return (runtime, runtime.Submit(batch));
        }
    }

    public Task<Trial?> ReadTrialAsync(long number) => _readTrial(Key, number);

    /// <summary>Trial numbers skipped at restore because the previous run did not stop cleanly (0 after a clean stop).</summary>
    public long SkippedNumbers { get; private set; }

    /// <summary>
    /// At a graceful shutdown: gives back the unused reserved trial numbers (fully durable), so the next start continues
    /// the numbering without a gap.
    /// </summary>
    public Task ReleaseReservedNumbers()
    {
        lock (_gate)
        {
            if (_reservedNumber <= _nextNumber)
            {
                return Task.CompletedTask;
            }

            _reservedNumber = _nextNumber;
            var batch = new WriteBatch();
            batch.Add(StudyRow());
            return _writer.SubmitAsync(batch);
        }
    }

    public Task Pause() => Transition(StudyState.Paused, "", from: [StudyState.Running, StudyState.Created]);

    public Task Resume() => Transition(StudyState.Running, "", from: [StudyState.Paused, StudyState.Created]);

    /// <summary>Stops the study: pending trials are pruned, results of running trials are still accepted.</summary>
    public Task Stop(string reason)
    {
        Task committed;
        lock (_gate)
        {
            if (IsTerminalState(_state))
            {
                throw new InvalidStudyStateException($"study '{StudyId}' is already {_state}");
            }

            var batch = new WriteBatch();
            var now = Timestamp.FromDateTimeOffset(_time.GetUtcNow());
            while (_pending.First is { } node)
            {
                _pending.RemoveFirst();
                _counts.Pending--;
                Finish(_active[node.Value], TrialState.Pruned, $"{ClosedWithoutResult}: the study stopped before the trial ran", now, batch);
            }

            ChangeState(StudyState.Stopped, string.IsNullOrEmpty(reason) ? "stopped by request" : reason, batch);
            committed = Submit(batch);
        }

        Changed.Pulse();
        return committed;
    }

    /// <summary>A consistent copy of the study for the wire.</summary>
    public Study ToProto(bool includeSpec = true)
    {
        lock (_gate)
        {
            var study = new Study
            {
                StudyId = StudyId,
                Spec = includeSpec ? Spec : null,
                State = _state,
                StateReason = _stateReason,
                CreateTime = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(CreateMs)),
                UpdateTime = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(_updateMs)),
                Counts = _counts.ToProto(),
                BestTrial = _best?.Clone(),
                LastSequence = _lastSequence,
            };
            foreach (var stage in _stages)
            {
                var d = stage.Definition;
                var proto = new Stage
                {
                    StageId = stage.StageId,
                    Index = d.Index,
                    Name = d.Name,
                    Targets = { d.Targets },
                    Method = d.MethodOverride ?? Spec.Method,
                    Objectives = { d.Objectives.Select(o => new Objective { Metric = o.Metric, Direction = o.Maximize ? Direction.Maximize : Direction.Minimize }) },
                    DataContext = d.Context,
                    State = stage.State,
                    BestTrial = stage.Best?.Clone(),
                    Counts = stage.Counts.ToProto(),
                    MaxTrials = d.MaxTrials,
                    PlannedTrials = d.PlannedTrials,
                    Regime = d.Regime,
                    SkipReason = stage.State == StageState.Skipped && d.SkipReason.Length == 0 ? "the in-sample stage found no feasible winner" : d.SkipReason,
                };
                if (d.WindowIndex is { } window)
                {
                    proto.WindowIndex = window;
                }

                if (stage.State != StageState.Pending)
                {
                    for (int i = 0; i < stage.Fixed.Length; i++)
                    {
                        if (!d.FreeIndices.Contains(i))
                        {
                            proto.FixedParams[Plan.Space.Parameters[i].Name] = Services.ProtoMapper.ToProto(stage.Fixed[i]);
                        }
                    }
                }

                study.Stages.Add(proto);
            }

            return study;
        }
    }

    public StudyState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    public long LastSequence
    {
        get
        {
            lock (_gate)
            {
                return _lastSequence;
            }
        }
    }

    private Task Transition(StudyState to, string reason, StudyState[] from)
    {
        Task committed;
        lock (_gate)
        {
            if (_state == to)
            {
                return Task.CompletedTask;
            }

            if (!from.Contains(_state))
            {
                throw new InvalidStudyStateException($"study '{StudyId}' is {_state}; it cannot become {to}");
            }

            var batch = new WriteBatch();
            ChangeState(to, reason, batch);
            CompleteIfDone(batch);
            committed = Submit(batch);
        }

        Changed.Pulse();
        return committed;
    }

    private void ChangeState(StudyState to, string reason, WriteBatch batch)
    {
        var previous = _state;
        _state = to;
        _stateReason = reason;
        AppendEvent(new StudyEvent { StudyStateChanged = new StudyStateChanged { State = to, PreviousState = previous, Reason = reason } },
            Timestamp.FromDateTimeOffset(_time.GetUtcNow()), batch);
    }

    /// <summary>
    /// Moves the study forward: completes stages whose method can propose nothing more (or whose budget is spent)
    /// and that have nothing outstanding, starts the stages whose predecessors are done (fixing their winners),
    /// skips stages planned as skipped, and completes the study when every stage is done. A stage that cannot find
    /// a feasible assignment fails the study.
    /// </summary>
    private void CompleteIfDone(WriteBatch batch)
    {
        if (_state != StudyState.Running)
        {
            return;
        }

        var now = Timestamp.FromDateTimeOffset(_time.GetUtcNow());
        bool progressed = true, changed = false;
        while (progressed)
        {
            progressed = false;
            foreach (var stage in _stages)
            {
                bool idle = stage.Counts.Pending + stage.Counts.Running == 0;
                if (stage.State == StageState.Running && idle)
                {
                    if (stage.Method!.IsExhausted || stage.BudgetSpent || stage.Saturated)
                    {
                        stage.State = StageState.Completed;
                        AppendEvent(new StudyEvent { StageCompleted = new StageCompleted { Stage = StageProto(stage) } }, now, batch);
                        progressed = true;
                    }
                    else if (stage.Starved)
                    {
                        ChangeState(StudyState.Failed, $"stage '{stage.Definition.Name}': no assignment satisfying the constraints was found in 10000 draws", batch);
                        Changed.Pulse();
                        return;
                    }
                }
                else if (stage.State == StageState.Pending && stage.Definition.After.All(i => _stages[i].State is StageState.Completed or StageState.Skipped))
                {
                    if (stage.Definition.SkipReason.Length > 0
                        || (stage.Definition.IsValidation && stage.Definition.After.Any(i => _stages[i].Best is null)))
                    {
                        stage.State = StageState.Skipped;
                        AppendEvent(new StudyEvent { StageCompleted = new StageCompleted { Stage = StageProto(stage) } }, now, batch);
                    }
                    else
                    {
                        stage.Start(FixedValuesFor(stage), Plan.Feasible);
                        AppendEvent(new StudyEvent { StageStarted = new StageStarted { Stage = StageProto(stage) } }, now, batch);
                    }

                    progressed = true;
                }
            }

            changed |= progressed;
        }

        if (_stages.All(s => s.State is StageState.Completed or StageState.Skipped))
        {
            bool exhausted = _stages.All(s => s.State == StageState.Skipped || s.Method!.IsExhausted || s.Saturated);
            ChangeState(StudyState.Completed, exhausted ? "search space enumerated" : "trial budget spent", batch);
            Changed.Pulse();
        }
        else if (changed)
        {
            Changed.Pulse();
        }
    }

    // Defaults, overwritten by the winners of the stages this one follows, in stage order.
    private ParamValue[] FixedValuesFor(StageRuntime stage)
    {
        var values = (ParamValue[])Plan.Defaults.Clone();
        foreach (int i in stage.Definition.After)
        {
            if (_stages[i].Best is not { } best)
            {
                continue;
            }

            foreach (int k in _stages[i].Definition.FreeIndices)
            {
                values[k] = Services.ProtoMapper.ToDomain(best.Params[Plan.Space.Parameters[k].Name]);
            }
        }

        return values;
    }

    private Stage StageProto(StageRuntime stage) => ToProto(includeSpec: false).Stages[stage.Definition.Index];

    private static bool IsTerminalState(StudyState s) => s is StudyState.Completed or StudyState.Stopped or StudyState.Failed;

    private UpdateStudyOp StudyRow() => new(Key, (int)_state, _updateMs, WriteSnapshot(), _lastSequence);

    private byte[] WriteSnapshot()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream))
        {
            w.Write(SnapshotVersion);
            w.Write((int)_state);
            w.Write(_stateReason);
            w.Write(_lastSequence);
            w.Write(_nextNumber);
            w.Write(_reservedNumber);
            _counts.Write(w);
            w.Write(_bestScore);
            byte[] best = _best?.ToByteArray() ?? [];
            w.Write(best.Length);
            w.Write(best);
            w.Write(_stages.Length);
            foreach (var stage in _stages)
            {
                stage.Write(w);
            }
        }

        return stream.ToArray();
    }

    private void ReadSnapshot(byte[] bytes)
    {
        using var r = new BinaryReader(new MemoryStream(bytes));
        byte version = r.ReadByte();
        if (version is not (2 or SnapshotVersion))
        {
            throw new InvalidDataException($"study '{StudyId}' has runtime snapshot version {version}; this server reads 2 and {SnapshotVersion}");
        }

        _state = (StudyState)r.ReadInt32();
        _stateReason = r.ReadString();
        _lastSequence = r.ReadInt64();
        _nextNumber = r.ReadInt64();
        _reservedNumber = version >= 3 ? r.ReadInt64() : _nextNumber;
        _counts = Counts.Read(r);
        _bestScore = r.ReadDouble();
        int bestLength = r.ReadInt32();
        _best = bestLength > 0 ? Trial.Parser.ParseFrom(r.ReadBytes(bestLength)) : null;
        int stages = r.ReadInt32();
        if (stages != _stages.Length)
        {
            throw new InvalidDataException($"study '{StudyId}' stored {stages} stages; its spec plans {_stages.Length}");
        }

        foreach (var stage in _stages)
        {
            stage.Read(r, Plan.Feasible, version);
        }
    }
}

/// <summary>A lifecycle request that the study's state does not allow (FAILED_PRECONDITION).</summary>
internal sealed class InvalidStudyStateException(string message) : Exception(message);
