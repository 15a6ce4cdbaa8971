using OptimizerGrpc.Client;

namespace OptimizerGrpc.Cli.Output;

/// <summary>A study as the operator verbs print it with --json.</summary>
internal sealed record StudyJson(
    string StudyId,
    string DisplayName,
    StudyState State,
    string StateReason,
    TrialCountsJson Trials,
    long PlannedTrials,
    TrialJson? BestTrial,
    DateTimeOffset? CreateTime,
    DateTimeOffset? UpdateTime,
    long LastSequence,
    string Owner,
    IReadOnlyList<FailureReasonInfo> FailureReasons)
{
    public static StudyJson Of(StudyInfo study) => new(
        study.StudyId, study.Spec.DisplayName, study.State, study.StateReason, TrialCountsJson.Of(study.Counts),
        Formats.PlannedTrials(study), TrialJson.OfNullable(study.BestTrial), study.CreateTime, study.UpdateTime, study.LastSequence,
        study.Owner, study.FailureReasons);
}

/// <summary>Trial counts by state.</summary>
internal sealed record TrialCountsJson(long Pending, long Running, long Completed, long Infeasible, long Failed, long Pruned, long Finished)
{
    public static TrialCountsJson Of(TrialCounts c) => new(c.Pending, c.Running, c.Completed, c.Infeasible, c.Failed, c.Pruned, c.Finished);
}

/// <summary>One trial: enough for a script to evaluate it (ask) or to read its outcome (trials, best, watch).</summary>
internal sealed record TrialJson(
    string StudyId,
    long Number,
    int Attempt,
    string StageId,
    TrialState State,
    IReadOnlyDictionary<string, ParamValue> Params,
    IReadOnlyDictionary<string, double> Values,
    IReadOnlyList<double> ObjectiveValues,
    string Reason,
    string WorkerId,
    DateTimeOffset? LeaseExpireTime)
{
    public static TrialJson Of(TrialInfo t) =>
        new(t.StudyId, t.Number, t.Attempt, t.StageId, t.State, t.Params, t.Values, t.ObjectiveValues, t.Reason, t.WorkerId, t.LeaseExpireTime);

    public static TrialJson? OfNullable(TrialInfo? t) => t is null ? null : Of(t);
}
