using V1 = OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Client;

/// <summary>
/// An immutable study definition made by <see cref="StudyBuilder.Build"/>; pass it to
/// <see cref="OptimizerClient.CreateStudyAsync(StudyDefinition, string?, bool, CancellationToken)"/>, as often as needed.
/// </summary>
public sealed class StudyDefinition
{
    internal StudyDefinition(V1.StudySpec spec)
    {
        Spec = spec;
        TargetNames = [.. spec.Targets.Select(t => t.Name)];
    }

    /// <summary>The study's display name.</summary>
    public string DisplayName => Spec.DisplayName;

    /// <summary>The targets' names, in the order they were added.</summary>
    public IReadOnlyList<string> TargetNames { get; }

    /// <summary>The wire spec. It is this definition's own copy and is never changed: callers must not mutate it.</summary>
    internal V1.StudySpec Spec { get; }
}
