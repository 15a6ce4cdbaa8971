namespace OptimizerGrpc.Client;

/// <summary>Lifecycle state of a study.</summary>
public enum StudyState
{
    /// <summary>The server sent no state (newer server, or not set).</summary>
    Unspecified = 0,

    /// <summary>Created, not yet issuing trials.</summary>
    Created = 1,

    /// <summary>Issuing trials.</summary>
    Running = 2,

    /// <summary>Paused until resumed.</summary>
    Paused = 3,

    /// <summary>Finished its budget or search.</summary>
    Completed = 4,

    /// <summary>Stopped by a user.</summary>
    Stopped = 5,

    /// <summary>Failed; see the state reason.</summary>
    Failed = 6,
}

/// <summary>Lifecycle state of a trial.</summary>
public enum TrialState
{
    /// <summary>Not set.</summary>
    Unspecified = 0,

    /// <summary>Queued, not leased.</summary>
    Pending = 1,

    /// <summary>Leased to a worker.</summary>
    Running = 2,

    /// <summary>Finished with values.</summary>
    Completed = 3,

    /// <summary>A performance constraint failed; the reason says which.</summary>
    Infeasible = 4,

    /// <summary>The client reported an error, the outcome was invalid, or the retry budget ran out.</summary>
    Failed = 5,

    /// <summary>Stopped early.</summary>
    Pruned = 6,
}

/// <summary>Lifecycle state of a stage.</summary>
public enum StageState
{
    /// <summary>Not set.</summary>
    Unspecified = 0,

    /// <summary>Waiting for earlier stages.</summary>
    Pending = 1,

    /// <summary>Issuing trials.</summary>
    Running = 2,

    /// <summary>Finished.</summary>
    Completed = 3,

    /// <summary>Skipped; see the skip reason.</summary>
    Skipped = 4,
}

/// <summary>What the server did with a reported outcome.</summary>
public enum TellStatus
{
    /// <summary>Not set.</summary>
    Unspecified = 0,

    /// <summary>Recorded (committed to storage).</summary>
    Accepted = 1,

    /// <summary>An outcome for this attempt was already recorded; this one was ignored.</summary>
    Duplicate = 2,

    /// <summary>The attempt's lease expired and the trial was handed out again; ignored.</summary>
    Expired = 3,

    /// <summary>The outcome was not acceptable; the message says why.</summary>
    Rejected = 4,
}
