namespace OptimizerGrpc.Core.Studies;

// The numeric values are those of the wire enums and of the store's state columns; keep them stable.

/// <summary>Where a study is in its life. Completed, Stopped and Failed are terminal.</summary>
public enum StudyState
{
    Created = 1,
    Running = 2,
    Paused = 3,
    Completed = 4,
    Stopped = 5,
    Failed = 6,
}

/// <summary>Where a stage is: waiting for the stages it follows, searching, done, or never run.</summary>
public enum StageState
{
    Pending = 1,
    Running = 2,
    Completed = 3,
    Skipped = 4,
}

/// <summary>
/// Where a trial is. Pending: queued; Running: leased to a worker; the rest are final: Completed, Infeasible (a
/// performance constraint failed), Failed (an error, or out of attempts), Pruned (stopped early or never run).
/// </summary>
public enum TrialState
{
    Pending = 1,
    Running = 2,
    Completed = 3,
    Infeasible = 4,
    Failed = 5,
    Pruned = 6,
}

/// <summary>What became of a reported result.</summary>
public enum TellStatus
{
    /// <summary>The first result of the running attempt: recorded.</summary>
    Accepted = 1,

    /// <summary>The attempt already had a result; this one was ignored.</summary>
    Duplicate = 2,

    /// <summary>The attempt's lease expired (or the trial was closed without a result); ignored.</summary>
    Expired = 3,

    /// <summary>No running attempt matches; ignored.</summary>
    Rejected = 4,
}

/// <summary>State helpers.</summary>
public static class StateExtensions
{
    public static bool IsTerminal(this StudyState state) => state is StudyState.Completed or StudyState.Stopped or StudyState.Failed;

    public static bool IsFinished(this TrialState state) => state is TrialState.Completed or TrialState.Infeasible or TrialState.Failed or TrialState.Pruned;

    /// <summary>Whether a stage no longer blocks the stages that follow it.</summary>
    public static bool IsDone(this StageState state) => state is StageState.Completed or StageState.Skipped;
}
