namespace OptimizerGrpc.Client;

/// <summary>Which kind of study event this is.</summary>
public enum StudyEventKind
{
    /// <summary>The server sent a kind this client does not know.</summary>
    Unknown = 0,

    /// <summary>A trial finished (<see cref="StudyEventInfo.Trial"/>).</summary>
    TrialFinished = 1,

    /// <summary>A stage has a new best trial (<see cref="StudyEventInfo.Trial"/>, <see cref="StudyEventInfo.StageId"/>).</summary>
    NewBest = 2,

    /// <summary>A stage began (<see cref="StudyEventInfo.Stage"/>).</summary>
    StageStarted = 3,

    /// <summary>A stage finished (<see cref="StudyEventInfo.Stage"/>).</summary>
    StageCompleted = 4,

    /// <summary>The study's state changed (<see cref="StudyEventInfo.State"/>, <see cref="StudyEventInfo.PreviousState"/>, <see cref="StudyEventInfo.Reason"/>).</summary>
    StudyStateChanged = 5,

    /// <summary>An expired lease re-queued a trial (<see cref="StudyEventInfo.Requeued"/>, <see cref="StudyEventInfo.WorkerId"/>).</summary>
    TrialRequeued = 6,
}

/// <summary>One entry of a study's event log; the fields that apply depend on <see cref="Kind"/>.</summary>
public sealed record StudyEventInfo
{
    /// <summary>The study.</summary>
    public required string StudyId { get; init; }

    /// <summary>Strictly increasing within the study; resume watching after it.</summary>
    public long Sequence { get; init; }

    /// <summary>When the event happened.</summary>
    public DateTimeOffset? Time { get; init; }

    /// <summary>What happened.</summary>
    public StudyEventKind Kind { get; init; }

    /// <summary>The trial of TrialFinished and NewBest.</summary>
    public TrialInfo? Trial { get; init; }

    /// <summary>The stage of StageStarted and StageCompleted.</summary>
    public StageInfo? Stage { get; init; }

    /// <summary>The stage of NewBest (or of <see cref="Stage"/>).</summary>
    public string? StageId { get; init; }

    /// <summary>The new state of StudyStateChanged.</summary>
    public StudyState State { get; init; }

    /// <summary>The previous state of StudyStateChanged.</summary>
    public StudyState PreviousState { get; init; }

    /// <summary>The reason of StudyStateChanged.</summary>
    public string? Reason { get; init; }

    /// <summary>The re-queued attempt of TrialRequeued.</summary>
    public TrialRef? Requeued { get; init; }

    /// <summary>The worker whose lease expired, for TrialRequeued.</summary>
    public string? WorkerId { get; init; }
}
