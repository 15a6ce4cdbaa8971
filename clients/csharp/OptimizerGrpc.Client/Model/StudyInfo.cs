using OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Client;

/// <summary>Trial counts by state.</summary>
public readonly record struct TrialCounts(long Pending, long Running, long Completed, long Infeasible, long Failed, long Pruned)
{
    /// <summary>Trials that reached a final state.</summary>
    public long Finished => Completed + Infeasible + Failed + Pruned;
}

/// <summary>One search of a study.</summary>
/// <param name="PlannedTrials">The most trials the stage will issue (its budget, a grid's size before constraints,
/// population x generations); 0 when unbounded. For progress displays.</param>
public sealed record StageInfo(
    string StageId,
    int Index,
    string Name,
    IReadOnlyList<string> Targets,
    IReadOnlyDictionary<string, ParamValue> FixedParams,
    StageState State,
    TrialInfo? BestTrial,
    TrialCounts Counts,
    long MaxTrials,
    string? Regime,
    int? WindowIndex,
    string SkipReason,
    long PlannedTrials = 0)
{
    /// <summary>On a cross-regime validation stage: the regime whose winner it scores on the stage's regime; else null.</summary>
    public string? WinnerOfRegime { get; init; }
}

/// <summary>A study's definition and current state. <see cref="Spec"/> is the wire spec as created.</summary>
public sealed record StudyInfo(
    string StudyId,
    StudySpec Spec,
    StudyState State,
    string StateReason,
    DateTimeOffset? CreateTime,
    DateTimeOffset? UpdateTime,
    TrialCounts Counts,
    TrialInfo? BestTrial,
    IReadOnlyList<StageInfo> Stages,
    long LastSequence)
{
    /// <summary>The study will issue no more trials.</summary>
    public bool IsFinished => State is StudyState.Completed or StudyState.Stopped or StudyState.Failed;

    /// <summary>The most common reasons of the study's FAILED trials, most frequent first (at most 5).</summary>
    public IReadOnlyList<FailureReasonInfo> FailureReasons { get; init; } = [];

    /// <summary>Who created the study: the key id or token subject on a server that authenticates callers, else empty.</summary>
    public string Owner { get; init; } = string.Empty;
}

/// <summary>One reason a study's trials failed for (the first line of their reason), and how many did.</summary>
/// <param name="Reason">The reason, e.g. "client error: System.InvalidOperationException: no trades".</param>
/// <param name="Count">FAILED trials with this reason.</param>
public sealed record FailureReasonInfo(string Reason, long Count);

/// <summary>The answer to CreateStudy.</summary>
/// <param name="Study">The created or existing study.</param>
/// <param name="Created">False when an identical study with the same id already existed.</param>
public sealed record CreateStudyResult(StudyInfo Study, bool Created);
