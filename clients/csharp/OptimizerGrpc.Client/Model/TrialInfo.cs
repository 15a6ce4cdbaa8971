namespace OptimizerGrpc.Client;

/// <summary>One trial: a parameter assignment in a data context, and what became of it.</summary>
public sealed record TrialInfo
{
    /// <summary>The study.</summary>
    public required string StudyId { get; init; }

    /// <summary>The stage the trial belongs to.</summary>
    public string StageId { get; init; } = string.Empty;

    /// <summary>Unique, increasing number within the study.</summary>
    public long Number { get; init; }

    /// <summary>Attempt, from 1; grows when an expired lease re-queues the trial.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>Lifecycle state.</summary>
    public TrialState State { get; init; }

    /// <summary>Parameter values by "target.name", including the stage's fixed parameters.</summary>
    public IReadOnlyDictionary<string, ParamValue> Params { get; init; } = new Dictionary<string, ParamValue>();

    /// <summary>The slice of data to evaluate on.</summary>
    public DataContextInfo DataContext { get; init; } = DataContextInfo.Whole;

    /// <summary>Objective and metric values of a finished trial.</summary>
    public IReadOnlyDictionary<string, double> Values { get; init; } = new Dictionary<string, double>();

    /// <summary>Objective values in the stage's objective order.</summary>
    public IReadOnlyList<double> ObjectiveValues { get; init; } = [];

    /// <summary>Why the trial is infeasible or failed; empty otherwise.</summary>
    public string Reason { get; init; } = string.Empty;

    /// <summary>The worker holding or last holding the trial.</summary>
    public string WorkerId { get; init; } = string.Empty;

    /// <summary>When the trial was created.</summary>
    public DateTimeOffset? CreateTime { get; init; }

    /// <summary>When the current attempt started.</summary>
    public DateTimeOffset? StartTime { get; init; }

    /// <summary>When the trial finished.</summary>
    public DateTimeOffset? EndTime { get; init; }

    /// <summary>When the current lease expires unless renewed.</summary>
    public DateTimeOffset? LeaseExpireTime { get; init; }

    /// <summary>The study change sequence of the trial's last state change (for delta sync).</summary>
    public long Sequence { get; init; }

    /// <summary>This attempt's reference, used to report the outcome.</summary>
    public TrialRef Ref => new(StudyId, Number, Attempt);

    /// <summary>The parameter <paramref name="name"/> ("target.name"); throws <see cref="KeyNotFoundException"/> naming the known parameters.</summary>
    public ParamValue this[string name] => Params.TryGetValue(name, out var value)
        ? value
        : throw new KeyNotFoundException($"Trial {Ref} has no parameter '{name}'; it has {string.Join(", ", Params.Keys)}.");
}
