using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Server.Storage;

namespace OptimizerGrpc.Server.Engine;

/// <summary>Creation, restore, state transitions and the runtime snapshot of a study.</summary>
internal sealed partial class StudyRuntime
{
    private const byte SnapshotVersion = 1;

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
            return (runtime, runtime.Submit(batch));
        }
    }

    /// <summary>Rebuilds a study from its stored row and unfinished trials. Trials that were leased return to PENDING.</summary>
    public static (StudyRuntime Runtime, Task Committed) Restore(
        StudyEntity row, StudySpec spec, StudyPlan plan, IReadOnlyList<Trial> unfinished, StoreWriter writer, EventHub events,
        TimeProvider time, Func<long, long, Task<Trial?>> readTrial)
    {
        var runtime = new StudyRuntime(row.Key, row.StudyId, spec, plan, row.CreateTimeMs, writer, events, time) { _readTrial = readTrial };
        lock (runtime._gate)
        {
            runtime.ReadSnapshot(row.Runtime);
            runtime._lastSequence = Math.Max(runtime._lastSequence, row.LastSequence);
            var batch = new WriteBatch();
            var now = Timestamp.FromDateTimeOffset(time.GetUtcNow());
            foreach (var trial in unfinished.OrderBy(t => t.Number))
            {
                var active = new ActiveTrial(trial, Services.ProtoMapper.ToAssignment(trial.Params, plan.Space));
                runtime._active.Add(trial.Number, active);
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
            study.Stages.Add(new Stage
            {
                StageId = StageId(0),
                Index = 0,
                Name = "main",
                Targets = { Spec.Targets.Select(t => t.Name) },
                Method = Spec.Method,
                Objectives = { Spec.Objectives },
                DataContext = new DataContext { Whole = new WholeSeries(), Label = "whole series" },
                State = _state switch
                {
                    StudyState.Completed or StudyState.Stopped or StudyState.Failed => StageState.Completed,
                    StudyState.Running => StageState.Running,
                    _ => StageState.Pending,
                },
                BestTrial = _best?.Clone(),
                Counts = _counts.ToProto(),
                MaxTrials = Plan.MaxTrials,
            });
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

    /// <summary>Completes the study when the method can propose nothing more and no trial is outstanding.</summary>
    private void CompleteIfDone(WriteBatch batch)
    {
        if (_state != StudyState.Running || _active.Count > 0)
        {
            return;
        }

        if (_method.IsExhausted || BudgetSpent)
        {
            ChangeState(StudyState.Completed, _method.IsExhausted ? "search space enumerated" : "trial budget spent", batch);
            Changed.Pulse();
        }
        else if (_starved)
        {
            ChangeState(StudyState.Failed, "no assignment satisfying the constraints was found in 10000 random draws", batch);
            Changed.Pulse();
        }
    }

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
            w.Write(_created);
            w.Write(_starved);
            _counts.Write(w);
            w.Write(_bestScore);
            byte[] best = _best?.ToByteArray() ?? [];
            w.Write(best.Length);
            w.Write(best);
            _method.WriteSnapshot(w);
        }

        return stream.ToArray();
    }

    private void ReadSnapshot(byte[] bytes)
    {
        using var r = new BinaryReader(new MemoryStream(bytes));
        byte version = r.ReadByte();
        if (version != SnapshotVersion)
        {
            throw new InvalidDataException($"study '{StudyId}' has runtime snapshot version {version}; this server reads {SnapshotVersion}");
        }

        _state = (StudyState)r.ReadInt32();
        _stateReason = r.ReadString();
        _lastSequence = r.ReadInt64();
        _nextNumber = r.ReadInt64();
        _created = r.ReadInt64();
        _starved = r.ReadBoolean();
        _counts = Counts.Read(r);
        _bestScore = r.ReadDouble();
        int bestLength = r.ReadInt32();
        _best = bestLength > 0 ? Trial.Parser.ParseFrom(r.ReadBytes(bestLength)) : null;
        _method.ReadSnapshot(r);
    }
}

/// <summary>A lifecycle request that the study's state does not allow (FAILED_PRECONDITION).</summary>
internal sealed class InvalidStudyStateException(string message) : Exception(message);
