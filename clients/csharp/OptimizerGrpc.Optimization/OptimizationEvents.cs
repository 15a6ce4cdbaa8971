using OptimizerGrpc.Client;

namespace OptimizerGrpc.Optimization;

/// <summary>A run's study was created; <see cref="Budget"/> is its trial count when the method knows it.</summary>
public sealed class OptimizationStartedEventArgs(string studyId, string sequence, IReadOnlyList<string> targets, long? budget) : EventArgs
{
    /// <summary>The study.</summary>
    public string StudyId { get; } = studyId;

    /// <summary>The sequence name.</summary>
    public string Sequence { get; } = sequence;

    /// <summary>The targets searched.</summary>
    public IReadOnlyList<string> Targets { get; } = targets;

    /// <summary>Total trials, when known (grid size is an upper bound when relationships exclude points).</summary>
    public long? Budget { get; } = budget;
}

/// <summary>A stage of the run's study started (from the study's event stream).</summary>
public sealed class StageStartedEventArgs(StageInfo stage) : EventArgs
{
    /// <summary>The stage: its name, index, targets, regime or window.</summary>
    public StageInfo Stage { get; } = stage;
}

/// <summary>A trial finished (from the study's event stream).</summary>
public sealed class TrialCompletedEventArgs(TrialInfo trial, long finished) : EventArgs
{
    /// <summary>The trial, with its values and state.</summary>
    public TrialInfo Trial { get; } = trial;

    /// <summary>Trials finished so far in this run.</summary>
    public long Finished { get; } = finished;
}

/// <summary>A stage has a new best trial.</summary>
public sealed class NewBestEventArgs(TrialInfo trial, string stageId, double score) : EventArgs
{
    /// <summary>The new best trial.</summary>
    public TrialInfo Trial { get; } = trial;

    /// <summary>Its stage.</summary>
    public string StageId { get; } = stageId;

    /// <summary>Its first objective value.</summary>
    public double Score { get; } = score;
}

/// <summary>A run finished.</summary>
public sealed class OptimizationCompletedEventArgs(OptimizationResult result) : EventArgs
{
    /// <summary>What it found.</summary>
    public OptimizationResult Result { get; } = result;
}

/// <summary>Something a run does differently from what its components say (see <see cref="OptimizationManager.Warning"/>).</summary>
public sealed class OptimizationWarningEventArgs(string message) : EventArgs
{
    /// <summary>What and why, in one sentence.</summary>
    public string Message { get; } = message;
}
