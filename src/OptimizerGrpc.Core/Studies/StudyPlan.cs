using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Scoring;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Studies;

/// <summary>
/// A validated, compiled study: everything the engine needs to run it, in domain types. Built once per study (at
/// creation and at restart) from the client's spec by the mapping at the edge and the sequence planners.
/// </summary>
public sealed record StudyPlan(
    SearchSpace Space,
    MethodSettings Method,
    ulong Seed,
    IReadOnlyList<ObjectiveDefinition> Objectives,
    Predicate<ParamValue[]>? Feasible,
    long MaxTrials,
    int MaxAttempts,
    TimeSpan LeaseDuration)
{
    public const int DefaultMaxAttempts = 3;

    public static readonly TimeSpan DefaultLeaseDuration = TimeSpan.FromSeconds(60);

    /// <summary>Weighted-sum scalarisation weights, one per objective; null when the objectives are kept apart.</summary>
    public double[]? Weights { get; init; }

    /// <summary>The stages the sequence plans, in index order.</summary>
    public required IReadOnlyList<StageDefinition> Stages { get; init; }

    /// <summary>Values of parameters a stage does not search and no earlier stage decided.</summary>
    public required ParamValue[] Defaults { get; init; }

    /// <summary>Server metrics, custom metrics and performance constraints.</summary>
    public required TrialScorer Scorer { get; init; }

    /// <summary>When true, a method may evaluate the same assignment twice; otherwise repeats reuse the first result.</summary>
    public bool AllowRepeats { get; init; }

    /// <summary>The failure budget new studies get when their spec leaves it unset (10).</summary>
    public const int DefaultFailureBudget = 10;

    /// <summary>
    /// FAILED trials with none completed, infeasible or pruned after which the study fails (see <see cref="FailureTally"/>);
    /// 0 turns the check off (studies stored before the budget existed).
    /// </summary>
    public int FailureBudget { get; init; }

    /// <summary>The single number that ranks trials for "best": the weighted sum, or the first objective.</summary>
    public double Rank(IReadOnlyList<double> orientedScores) => Scalarization.Rank(Weights, orientedScores);
}
