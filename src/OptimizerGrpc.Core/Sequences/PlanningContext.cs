using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Core.Sequences;

/// <summary>What the client says of its data: the number of bars and, for regime studies, one label per bar.</summary>
public sealed record DataDescription(long BarCount, IReadOnlyList<int> RegimeLabels, IReadOnlyList<string> RegimeNames)
{
    public static DataDescription None { get; } = new(0, [], []);
}

/// <summary>
/// The study-level settings every planner starts from: the full space, the targets in spec order, the study's method,
/// seed, objectives (resolved) and budget, and the data description.
/// </summary>
public sealed record PlanningContext(
    SearchSpace Space,
    IReadOnlyList<string> Targets,
    MethodSettings Method,
    ulong Seed,
    IReadOnlyList<ObjectiveDefinition> Objectives,
    double[]? Weights,
    long MaxTrials,
    DataDescription Data);
