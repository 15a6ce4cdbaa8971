using OptimizerGrpc.Core.Methods;
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
    TimeSpan LeaseDuration);
