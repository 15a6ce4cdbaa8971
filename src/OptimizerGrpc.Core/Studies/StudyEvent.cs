namespace OptimizerGrpc.Core.Studies;

/// <summary>
/// One entry of a study's append-only event log. <see cref="Sequence"/> increases by one per change of the study
/// (events and trial changes share it), so a watcher that resumes after N misses nothing and sees nothing twice.
/// </summary>
public abstract record StudyEvent
{
    public string StudyId { get; init; } = "";

    /// <summary>Set by the study's journal when the event is appended.</summary>
    public long Sequence { get; init; }

    public DateTimeOffset Time { get; init; }

    /// <summary>Whether the study is over after this event (a watcher's stream ends with it).</summary>
    public bool EndsStudy => this is StudyStateChangedEvent { State: var s } && s.IsTerminal();
}

/// <summary>A trial reached a final state.</summary>
public sealed record TrialFinishedEvent(TrialRecord Trial) : StudyEvent;

/// <summary>A stage has a new best trial.</summary>
public sealed record NewBestEvent(int StageIndex, TrialRecord Trial) : StudyEvent;

/// <summary>A stage started: its fixed values are decided.</summary>
public sealed record StageStartedEvent(StageView Stage) : StudyEvent;

/// <summary>A stage completed or was skipped.</summary>
public sealed record StageCompletedEvent(StageView Stage) : StudyEvent;

/// <summary>The study changed state (the first change after creation comes from <see cref="StudyState.Created"/>).</summary>
public sealed record StudyStateChangedEvent(StudyState State, StudyState Previous, string Reason) : StudyEvent
{
    /// <summary>The most common failure reasons, when the study failed for its failure budget; empty otherwise.</summary>
    public IReadOnlyList<FailureCount> FailureReasons { get; init; } = [];
}

/// <summary>A trial went back to the queue (its lease expired) with a new attempt, or ran out of attempts.</summary>
public sealed record TrialRequeuedEvent(long Number, int Attempt, string WorkerId) : StudyEvent;
