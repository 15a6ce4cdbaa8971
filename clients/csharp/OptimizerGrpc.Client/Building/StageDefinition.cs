namespace OptimizerGrpc.Client;

/// <summary>
/// One search of a <see cref="StudySequence"/>: which targets are free, how, and against which objectives.
/// Whatever is left unset is the study's own (its method, objectives and trial budget).
/// </summary>
public sealed record StageDefinition
{
    /// <summary>The stage's name; empty lets the server name it.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>The targets searched in this stage.</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];

    /// <summary>The stage's search method; null uses the study's.</summary>
    public SearchMethod? Method { get; init; }

    /// <summary>The stage's objectives; empty uses the study's.</summary>
    public IReadOnlyList<StudyObjective> Objectives { get; init; } = [];

    /// <summary>The stage's trial budget; null uses the study's.</summary>
    public long? MaxTrials { get; init; }
}
