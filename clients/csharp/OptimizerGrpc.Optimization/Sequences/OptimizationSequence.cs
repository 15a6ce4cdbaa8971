using OptimizerGrpc.Client;

namespace OptimizerGrpc.Optimization;

/// <summary>
/// How the targets of a run are split into searches (the spec's <c>OptimizationSequence</c>). Every sequence
/// becomes the study's <see cref="StudySequence"/> and is carried out by the server; a sequence the server does not
/// implement fails with <see cref="SequenceNotSupportedException"/> carrying the server's message, never a
/// client-side imitation.
/// </summary>
public abstract record OptimizationSequence
{
    /// <summary>The study's sequence for these stages (one per target, in the run's order), or null for a single stage.</summary>
    internal abstract StudySequence? ToSequence(IReadOnlyList<StagePlan> stages);

    /// <summary>Whether every stage must share one method and one metric (one search over all targets).</summary>
    private protected static void RequireOneSearch(IReadOnlyList<StagePlan> stages, string sequence)
    {
        if (stages.Select(s => s.Method).Distinct().Count() > 1 || stages.Select(s => s.Objective).Distinct().Count() > 1)
        {
            throw new ArgumentException($"{sequence} searches all targets in one stage, so they must share one method and one metric.");
        }
    }

    private protected static StageDefinition Stage(string name, IEnumerable<StagePlan> stages)
    {
        var list = stages.ToList();
        return new StageDefinition
        {
            Name = name, Targets = [.. list.Select(s => s.Target)], Method = list[0].Method, Objectives = [list[0].Objective],
            MaxTrials = list[0].MaxTrials > 0 ? list[0].MaxTrials : null,
        };
    }
}

/// <summary>One target's search in a run: its method, objective and trial budget (0 = until exhausted).</summary>
internal sealed record StagePlan(string Target, SearchMethod Method, StudyObjective Objective, long MaxTrials);

/// <summary>All targets searched together in one stage.</summary>
public sealed record SingleOptimization : OptimizationSequence
{
    internal override StudySequence? ToSequence(IReadOnlyList<StagePlan> stages)
    {
        RequireOneSearch(stages, nameof(SingleOptimization));
        return null;
    }
}

/// <summary>
/// Targets searched one after another, each winner fixed for the next. With one target this is exactly one
/// stage and is sent as such; with several it is the server's sequential sequence.
/// </summary>
public sealed record SequentialOptimization : OptimizationSequence
{
    internal override StudySequence? ToSequence(IReadOnlyList<StagePlan> stages)
    {
        if (stages.Count == 1)
        {
            return null;
        }

        return new SequentialStages([.. stages.Select(s => Stage(s.Target, [s]))]);
    }
}

/// <summary>Targets searched independently at the same time, winners combined.</summary>
public sealed record ParallelOptimization : OptimizationSequence
{
    internal override StudySequence? ToSequence(IReadOnlyList<StagePlan> stages)
    {
        return new ParallelStages([.. stages.Select(s => Stage(s.Target, [s]))]);
    }
}

/// <summary>The first target is the outer search; each outer candidate is scored by an inner search over the second.</summary>
public sealed record HierarchicalOptimization : OptimizationSequence
{
    internal override StudySequence? ToSequence(IReadOnlyList<StagePlan> stages)
    {
        if (stages.Count != 2)
        {
            throw new ArgumentException($"{nameof(HierarchicalOptimization)} needs exactly two targets (outer, inner), got {stages.Count}.");
        }

        return new HierarchicalStages(Stage(stages[0].Target, [stages[0]]), Stage(stages[1].Target, [stages[1]]));
    }
}

/// <summary>
/// One search per regime of the data (labels from the run's regime detector), with at least
/// <see cref="MinRegimeData"/> bars per regime. Each trial's whole-series backtest is scored on its regime's bars.
/// </summary>
public sealed record RegimeSpecificOptimization : OptimizationSequence
{
    /// <summary>Creates the options.</summary>
    public RegimeSpecificOptimization(int minRegimeData = 100, string? regimeDetectorTarget = null)
    {
        MinRegimeData = minRegimeData;
        RegimeDetectorTarget = regimeDetectorTarget;
    }

    /// <summary>Fewest bars a regime needs to get its own search. Default 100.</summary>
    public int MinRegimeData { get; init; }

    /// <summary>The target whose detector labels the bars; null sends no labels.</summary>
    public string? RegimeDetectorTarget { get; init; }

    internal override StudySequence? ToSequence(IReadOnlyList<StagePlan> stages)
    {
        RequireOneSearch(stages, nameof(RegimeSpecificOptimization));
        return new RegimeSpecificStages
        {
            // The detector labels the bars here, in the client; it is not a target of the study, so the study's
            // RegimeDetectorTarget (a study target kept at its labelling settings) stays unset.
            Stage = Stage("regime", stages), MinRegimeData = MinRegimeData, Mode = StageEvaluation.Attribution,
        };
    }
}

/// <summary>Walk-forward: search on each in-sample window, report each winner on the following out-of-sample window.</summary>
public sealed record WalkForwardOptimization : OptimizationSequence
{
    /// <summary>Creates the options.</summary>
    public WalkForwardOptimization(long inSampleBars, long outOfSampleBars, long? stepBars = null, bool anchored = false)
    {
        InSampleBars = inSampleBars;
        OutOfSampleBars = outOfSampleBars;
        StepBars = stepBars;
        Anchored = anchored;
    }

    /// <summary>Bars in each search window.</summary>
    public long InSampleBars { get; init; }

    /// <summary>Bars in each following evaluation window.</summary>
    public long OutOfSampleBars { get; init; }

    /// <summary>Bars between window starts; null means OutOfSampleBars.</summary>
    public long? StepBars { get; init; }

    /// <summary>True keeps every window starting at bar 0 (anchored), false rolls it. Default false.</summary>
    public bool Anchored { get; init; }

    internal override StudySequence? ToSequence(IReadOnlyList<StagePlan> stages)
    {
        RequireOneSearch(stages, nameof(WalkForwardOptimization));
        return new WalkForwardStages(InSampleBars, OutOfSampleBars)
        {
            Stage = Stage("walk_forward", stages), StepBars = StepBars,
            WindowMovement = Anchored ? WindowMovement.Anchored : WindowMovement.Rolling, Mode = StageEvaluation.Attribution,
        };
    }
}

/// <summary>The server refused a sequence it does not implement (gRPC UNIMPLEMENTED); <see cref="Exception.Message"/> quotes it.</summary>
public sealed class SequenceNotSupportedException : NotSupportedException
{
    /// <summary>Creates the exception.</summary>
    public SequenceNotSupportedException(string sequence, string serverMessage, Exception? inner = null)
        : base($"sequence '{sequence}' is not supported by the server: {serverMessage}", inner)
    {
        Sequence = sequence;
        ServerMessage = serverMessage;
    }

    /// <summary>The registered sequence name.</summary>
    public string Sequence { get; } = string.Empty;

    /// <summary>What the server said.</summary>
    public string ServerMessage { get; } = string.Empty;
}
