using OptimizerGrpc.Core.Methods;

namespace OptimizerGrpc.Core.Sequences;

/// <summary>How an objective's direction was given: explicitly, or left to the metric's own sense.</summary>
public enum ObjectiveDirection
{
    Unspecified = 0,
    Maximize = 1,
    Minimize = 2,
}

/// <summary>An objective as written in a stage of a sequence; resolved against the metric catalog when planned.</summary>
public sealed record ObjectiveSpec(string Metric, ObjectiveDirection Direction, double? Weight);

/// <summary>
/// A stage as written in a sequence: its targets and, optionally, its own method, objectives and budget (the study's
/// otherwise). <paramref name="Path"/> is the field path of the stage in the request, for precise violations.
/// </summary>
public sealed record StageTemplate(
    string Name,
    IReadOnlyList<string> Targets,
    MethodSettings? Method,
    IReadOnlyList<ObjectiveSpec> Objectives,
    long? MaxTrials,
    string Path)
{
    public StageTemplate WithName(string name) => this with { Name = name };
}

/// <summary>The spec's OptimizationSequence: how a study's targets are searched, as stages. Planned by <see cref="SequencePlanner"/>.</summary>
public abstract record SequenceDefinition;

/// <summary>One stage over every target.</summary>
public sealed record SingleSequence : SequenceDefinition;

/// <summary>Stages one after another; each fixes the winners of the earlier ones. No stages: one per target, in order.</summary>
public sealed record SequentialSequence(IReadOnlyList<StageTemplate> Stages) : SequenceDefinition;

/// <summary>Independent stages over disjoint targets, searched at once; their winners are combined.</summary>
public sealed record ParallelSequence(IReadOnlyList<StageTemplate> Stages) : SequenceDefinition;

/// <summary>Nested: each outer candidate is scored by the winner of its own inner optimisation.</summary>
public sealed record HierarchicalSequence(StageTemplate? Outer, StageTemplate? Inner) : SequenceDefinition;

/// <summary>
/// One stage per regime label with at least <see cref="MinRegimeData"/> bars (default 100). In segment mode,
/// <see cref="CrossValidation"/> adds one validation stage per ordered pair of regimes that scores the first's winner on
/// the second's segments.
/// </summary>
public sealed record RegimeSpecificSequence(StageTemplate? Stage, int? MinRegimeData, string DetectorTarget, bool Attribution, bool CrossValidation = false)
    : SequenceDefinition
{
    public const int DefaultMinRegimeData = 100;
}

/// <summary>Rolling or anchored in-sample windows, each winner scored on the out-of-sample bars that follow.</summary>
public sealed record WalkForwardSequence(
    StageTemplate? Stage, long InSampleBars, long OutOfSampleBars, long? StepBars, bool Anchored, bool Attribution) : SequenceDefinition;
