namespace OptimizerGrpc.Client;

/// <summary>Names one attempt of one trial.</summary>
public readonly record struct TrialRef(string StudyId, long TrialNumber, int Attempt)
{
    /// <inheritdoc />
    public override string ToString() => $"{StudyId}#{TrialNumber}.{Attempt}";
}
