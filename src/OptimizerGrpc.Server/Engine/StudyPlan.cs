using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Scoring;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Server.Engine;

/// <summary>One objective as the engine uses it: the value name and whether higher is better.</summary>
internal sealed record ObjectiveDefinition(string Metric, bool Maximize);

/// <summary>
/// A validated, compiled study spec: everything the engine needs to run it, in domain types.
/// Built once per study (at creation and at restart) by <c>StudySpecCompiler</c>.
/// </summary>
internal sealed record StudyPlan(
    SearchSpace Space,
    MethodSettings Method,
    ulong Seed,
    IReadOnlyList<ObjectiveDefinition> Objectives,
    Predicate<ParamValue[]>? Feasible,
    long MaxTrials,
    int MaxAttempts,
    TimeSpan LeaseDuration)
{
    /// <summary>Weighted-sum scalarisation weights, one per objective; null when the objectives are kept apart.</summary>
    public double[]? Weights { get; init; }

    /// <summary>The stages the sequence plans, in index order.</summary>
    public required IReadOnlyList<StageDefinition> Stages { get; init; }

    /// <summary>Values of parameters a stage does not search and no earlier stage decided.</summary>
    public required ParamValue[] Defaults { get; init; }

    /// <summary>Server metrics, custom metrics and performance constraints.</summary>
    public required TrialScorer Scorer { get; init; }

    /// <summary>The single number that ranks trials for "best": the weighted sum, or the first objective.</summary>
    public double Rank(double[] orientedScores)
    {
        if (Weights is null)
        {
            return orientedScores[0];
        }

        double sum = 0;
        for (int i = 0; i < orientedScores.Length; i++)
        {
            sum += Weights[i] * orientedScores[i];
        }

        return sum;
    }
}
