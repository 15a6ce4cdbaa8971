using OptimizerGrpc.Core.Studies;
using OptimizerGrpc.Server.Engine.Store;

namespace OptimizerGrpc.Server.Engine;

/// <summary>
/// One study's mutable state and its journal: every change is written to a <see cref="WriteBatch"/> with the next
/// sequence number, and events are published once the batch commits. Shared by the parts of a study's runtime
/// (dispatch, results, stage progression, snapshots) and used only under the study's gate.
/// </summary>
internal sealed class StudyBook
{
    private readonly IStudyStore _store;
    private readonly IEventPublisher _events;

    public StudyBook(long key, string studyId, StudyPlan plan, long createMs, IStudyStore store, IEventPublisher events, TimeProvider time)
    {
        Key = key;
        StudyId = studyId;
        Plan = plan;
        CreateMs = createMs;
        UpdateMs = createMs;
        _store = store;
        _events = events;
        Time = time;
        Stages = [.. plan.Stages.Select(d => new StageRuntime(d))];
        foreach (var stage in Stages.Where(st => !plan.AllowRepeats && IsDiscrete(st.Definition)))
        {
            stage.EnableReuse();
        }
    }

    public long Key { get; }

    public string StudyId { get; }

    public StudyPlan Plan { get; }

    public long CreateMs { get; }

    public TimeProvider Time { get; }

    public IStudyStore Store => _store;

    public StageRuntime[] Stages { get; }

    public TrialQueue Queue { get; } = new();

    public TellLedger Ledger { get; } = new();

    /// <summary>The server's lease limits and per-worker lease counts; every lease started or ended goes through it.</summary>
    public EngineLimits Limits { get; set; } = EngineLimits.Unlimited;

    public StudyState State { get; set; }

    public string StateReason { get; set; } = "";

    public long UpdateMs { get; set; }

    public long LastSequence { get; set; }

    public TrialCounts Counts;

    public TrialRecord? Best { get; set; }

    /// <summary>The study's FAILED trials by reason (in the runtime snapshot since version 4).</summary>
    public FailureTally Failures { get; set; } = new();

    /// <summary>How many of the most common failure reasons a study shows (5).</summary>
    public const int ShownFailureReasons = 5;

    public double BestScore { get; set; } = double.NegativeInfinity;

    /// <summary>Pulsed whenever trials may have become available (results, requeues, resume) or the study ended.</summary>
    public AsyncSignal Changed { get; } = new();

    /// <summary>Writes the runtime snapshot of the study row; set by the runtime.</summary>
    public Func<byte[]> Snapshot { get; set; } = () => [];

    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>Records a trial's change with the next sequence number; returns the record as stored.</summary>
    public TrialRecord Write(TrialRecord trial, WriteBatch batch)
    {
        var stored = trial with { Sequence = ++LastSequence };
        batch.Add(new UpsertTrial(Key, stored, ScoreOf(stored)));
        return stored;
    }

    // The rank score of a completed trial (its stage's objectives oriented and weighted), or null.
    private double? ScoreOf(TrialRecord trial)
    {
        if (trial.State != TrialState.Completed || trial.StageIndex >= Plan.Stages.Count)
        {
            return null;
        }

        var stage = Plan.Stages[trial.StageIndex];
        if (trial.ObjectiveValues.Count != stage.Objectives.Count)
        {
            return null;
        }

        double score = stage.Rank(stage.Orient(trial.ObjectiveValues));
        return double.IsFinite(score) ? score : null;
    }

    /// <summary>Appends an event with the next sequence number; it is published when the batch commits.</summary>
    public void Append(StudyEvent e, DateTimeOffset now, WriteBatch batch)
    {
        var stamped = e with { StudyId = StudyId, Sequence = ++LastSequence, Time = now };
        batch.Add(new AppendEvent(Key, stamped));
        batch.Published.Add(stamped);
    }

    /// <summary>Publishes a trial's final state to watchers (its row is the stored form of the event).</summary>
    public void PublishFinished(TrialRecord trial, DateTimeOffset now, WriteBatch batch) =>
        batch.Published.Add(new TrialFinishedEvent(trial) { StudyId = StudyId, Sequence = trial.Sequence, Time = now });

    public void ChangeState(StudyState to, string reason, WriteBatch batch, IReadOnlyList<FailureCount>? failureReasons = null)
    {
        var previous = State;
        State = to;
        StateReason = reason;
        Append(new StudyStateChangedEvent(to, previous, reason) { FailureReasons = failureReasons ?? [] }, Now, batch);
    }

    /// <summary>Queues a batch with the study row; the task completes when it committed.</summary>
    public Task Submit(WriteBatch batch)
    {
        if (batch.IsEmpty)
        {
            return Task.CompletedTask;
        }

        UpdateMs = Now.ToUnixTimeMilliseconds();
        var row = StudyRow();
        batch.Add(row);
        batch.Publisher = _events;
        var committed = _store.Submit(batch);
        // Batches commit in submission order, so once this one has, every sequence up to its row's is stored.
        committed.ContinueWith(
            _ => InterlockedMax(ref _committedSequence, row.LastSequence),
            CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return committed;
    }

    /// <summary>
    /// The highest sequence known to be stored: readers that page through changes "after sequence s" use it as their
    /// next s, so a change numbered earlier but committed later is never skipped.
    /// </summary>
    public long CommittedSequence => Interlocked.Read(ref _committedSequence);

    private long _committedSequence;

    /// <summary>Everything up to <paramref name="sequence"/> was read from the store (a restore).</summary>
    public void StoredUpTo(long sequence) => InterlockedMax(ref _committedSequence, sequence);

    private static void InterlockedMax(ref long target, long value)
    {
        long current;
        while ((current = Interlocked.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    public UpdateStudy StudyRow() => new(Key, State, UpdateMs, Snapshot(), LastSequence);

    /// <summary>Whether any stage remembers evaluated assignments (restore must then read the finished trials).</summary>
    public static bool ReusesResults(StudyPlan plan) => !plan.AllowRepeats && plan.Stages.Any(IsDiscrete);

    // Assignments are reused only where a repeat is likely and the set is bounded: every parameter discrete.
    private static bool IsDiscrete(StageDefinition stage) =>
        stage.Space.Parameters.All(p => p.Domain is not Core.Spaces.FloatDomain { Step: null });
}
