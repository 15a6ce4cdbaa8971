using OptimizerGrpc.Client;

namespace OptimizerGrpc.Optimization;

/// <summary>
/// A run produced no result: its study FAILED (for example its first <c>failure_budget</c> trials all failed, default
/// 10) or finished without a single completed trial. The message quotes the study's most common failure reasons, which
/// <see cref="FailureReasons"/> also holds, most frequent first.
/// </summary>
public sealed class OptimizationFailedException : Exception
{
    public OptimizationFailedException()
        : this("the optimization failed")
    {
    }

    public OptimizationFailedException(string message)
        : base(message)
    {
        StudyId = string.Empty;
        StateReason = string.Empty;
        Counts = default;
    }

    public OptimizationFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
        StudyId = string.Empty;
        StateReason = string.Empty;
        Counts = default;
    }

    /// <summary>From the study as the run left it.</summary>
    public OptimizationFailedException(StudyInfo study)
        : base(Describe(study ?? throw new ArgumentNullException(nameof(study))))
    {
        StudyId = study.StudyId;
        State = study.State;
        StateReason = study.StateReason;
        Counts = study.Counts;
        FailureReasons = study.FailureReasons;
    }

    /// <summary>The study the run created.</summary>
    public string StudyId { get; }

    /// <summary>The study's final state (FAILED, or COMPLETED with no completed trial).</summary>
    public StudyState State { get; }

    /// <summary>Why the study ended, as the server says.</summary>
    public string StateReason { get; }

    /// <summary>Trials by final state.</summary>
    public TrialCounts Counts { get; }

    /// <summary>The most common reasons of the study's FAILED trials, most frequent first.</summary>
    public IReadOnlyList<FailureReasonInfo> FailureReasons { get; } = [];

    private static string Describe(StudyInfo study)
    {
        var text = $"study {study.StudyId} ended {study.State} with no completed trial ({study.Counts.Failed} failed, {study.Counts.Infeasible} infeasible)";
        if (study.StateReason.Length > 0)
        {
            text += ": " + study.StateReason;
        }

        if (study.FailureReasons.Count > 0 && !study.StateReason.Contains("most common:", StringComparison.Ordinal))
        {
            text += string.Concat(study.FailureReasons.Select(f => $"{Environment.NewLine}  {f.Count} x {f.Reason}"));
        }

        return text;
    }
}
