namespace OptimizerGrpc.Client;

/// <summary>
/// How a study is split into stages; the server carries it out. Without one a study is a single stage over all
/// targets. The server checks the settings when the study is created (INVALID_ARGUMENT naming the field).
/// </summary>
public abstract record StudySequence
{
    private protected StudySequence()
    {
    }
}

/// <summary>All targets searched at once in one stage (what a study without a sequence does).</summary>
public sealed record SingleStage : StudySequence;

/// <summary>Stages run one after another; each stage's winner is fixed for the later stages.</summary>
/// <param name="Stages">The stages in order; none means one stage per target, in the order the targets were added.</param>
public sealed record SequentialStages(params IReadOnlyList<StageDefinition> Stages) : StudySequence;

/// <summary>Independent stages searched at the same time; the winners are combined.</summary>
/// <param name="Stages">The stages; none means one stage per target.</param>
public sealed record ParallelStages(params IReadOnlyList<StageDefinition> Stages) : StudySequence;

/// <summary>Every candidate of the outer stage is scored by an inner optimisation.</summary>
/// <param name="Outer">The outer search.</param>
/// <param name="Inner">The search run for each outer candidate.</param>
public sealed record HierarchicalStages(StageDefinition Outer, StageDefinition Inner) : StudySequence;

/// <summary>One stage per regime label of the study's data with enough bars.</summary>
public sealed record RegimeSpecificStages : StudySequence
{
    /// <summary>The search run in each regime; null searches every target with the study's method and objectives.</summary>
    public StageDefinition? Stage { get; init; }

    /// <summary>The fewest bars a regime needs to get a stage; null uses the server default (100).</summary>
    public int? MinRegimeData { get; init; }

    /// <summary>How trials are evaluated. Default: the server's (segment).</summary>
    public StageEvaluation Mode { get; init; }

    /// <summary>
    /// The study target whose detector produced the data's regime labels; it is not searched per regime and keeps
    /// its default values, which should be the settings that labelled the bars. Null: none.
    /// </summary>
    public string? RegimeDetectorTarget { get; init; }

    /// <summary>
    /// Segment mode: after each regime's stage, score its winner on every other regime's segments (one trial per pair)
    /// so the analysis can report the cross-regime matrix. Null uses the server default (on); attribution mode needs
    /// no extra trials and ignores it.
    /// </summary>
    public bool? CrossRegimeValidation { get; init; }
}

/// <summary>Optimises on in-sample windows and scores each winner on the following out-of-sample window.</summary>
/// <param name="InSampleBars">Bars in each search window.</param>
/// <param name="OutOfSampleBars">Bars in each following evaluation window.</param>
public sealed record WalkForwardStages(long InSampleBars, long OutOfSampleBars) : StudySequence
{
    /// <summary>The search run in each window; null searches every target with the study's method and objectives.</summary>
    public StageDefinition? Stage { get; init; }

    /// <summary>Bars between window starts; null means <see cref="OutOfSampleBars"/>.</summary>
    public long? StepBars { get; init; }

    /// <summary>How the in-sample windows move. Default: the server's (rolling).</summary>
    public WindowMovement WindowMovement { get; init; }

    /// <summary>How trials are evaluated. Default: the server's (segment).</summary>
    public StageEvaluation Mode { get; init; }
}
