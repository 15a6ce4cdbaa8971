using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Studies;

/// <summary>
/// A consistent, immutable picture of one stage: its plan, state, counters and best trial, the values it fixed for
/// the parameters it does not search (empty while pending) and the method it runs. Self-contained, so an event that
/// carries it can be stored and shown without the study.
/// </summary>
public sealed record StageView(
    StageDefinition Definition,
    StageState State,
    TrialRecord? Best,
    TrialCounts Counts,
    IReadOnlyList<KeyValuePair<string, ParamValue>> FixedParams,
    MethodSettings Method,
    ulong Seed,
    bool AllowRepeats,
    string SkipReason)
{
    public int Index => Definition.Index;

    public string StageId => Definition.StageId;
}

/// <summary>A consistent, immutable picture of a study (taken under its gate).</summary>
public sealed record StudyView(
    string StudyId,
    StudyState State,
    string StateReason,
    DateTimeOffset CreateTime,
    DateTimeOffset UpdateTime,
    TrialCounts Counts,
    TrialRecord? Best,
    IReadOnlyList<StageView> Stages,
    long LastSequence)
{
    /// <summary>The most common reasons of the study's FAILED trials, most frequent first (at most 5).</summary>
    public IReadOnlyList<FailureCount> FailureReasons { get; init; } = [];
}
