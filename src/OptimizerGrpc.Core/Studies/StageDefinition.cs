using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Scoring;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Studies;

/// <summary>
/// One search of a study as planned from its sequence: which parameters are free (indices into the study's full
/// space), how they are searched and scored, and on which slice of the data. Parameters that are not free take the
/// winners of the stages this one follows, else their defaults, when the stage starts.
/// </summary>
public sealed record StageDefinition(
    int Index,
    string Name,
    IReadOnlyList<string> Targets,
    int[] FreeIndices,
    SearchSpace Space,
    MethodSettings Method,
    ulong Seed,
    IReadOnlyList<ObjectiveDefinition> Objectives,
    double[]? Weights,
    long MaxTrials,
    DataContext Context)
{
    public string StageId => StageIds.Of(Index);

    /// <summary>Stages that must complete before this one starts (their winners are fixed here).</summary>
    public IReadOnlyList<int> After { get; init; } = [];

    /// <summary>Bars the server scores in attribution mode; null to score the record as sent.</summary>
    public IReadOnlyList<(long Start, long End)>? ScoreSegments { get; init; }

    public string Regime { get; init; } = "";

    /// <summary>Walk-forward window of the stage, 0-based.</summary>
    public int? WindowIndex { get; init; }

    /// <summary>An out-of-sample validation stage: no free parameters, one trial with the preceding stage's winner.</summary>
    public bool IsValidation { get; init; }

    /// <summary>The stage's own method settings, when it overrides the study's.</summary>
    public MethodSettings? MethodOverride { get; init; }

    public long RegimeBars { get; init; }

    /// <summary>The most trials the stage will issue (budget or what the method implies); 0 when unbounded.</summary>
    public long PlannedTrials { get; init; }

    /// <summary>Set on the stage of a hierarchical sequence: which targets are outer and each level's budget.</summary>
    public HierarchyPlan? Hierarchy { get; init; }

    /// <summary>
    /// Attribution-mode regime stages: every regime's bars (series bars, in regime order), so each trial's returns on
    /// every regime are kept and the analysis can score a regime's winner in the other regimes.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<(long Start, long End)>>? RegimeSegments { get; init; }

    /// <summary>
    /// Set on a cross-regime validation stage (segment mode): the regime whose winner it scores on its context's regime.
    /// </summary>
    public string WinnerOfRegime { get; init; } = "";

    /// <summary>Set when the stage never runs (too few bars in its regime).</summary>
    public string SkipReason { get; init; } = "";

    /// <summary>The single number that ranks this stage's trials (see <see cref="Scalarization"/>).</summary>
    public double Rank(IReadOnlyList<double> orientedScores) => Scalarization.Rank(Weights, orientedScores);

    /// <summary>Raw objective values oriented so that higher is better.</summary>
    public double[] Orient(IReadOnlyList<double> objectiveValues)
    {
        ArgumentNullException.ThrowIfNull(objectiveValues);
        var oriented = new double[objectiveValues.Count];
        for (int i = 0; i < oriented.Length; i++)
        {
            oriented[i] = Objectives[i].Orient(objectiveValues[i]);
        }

        return oriented;
    }
}

/// <summary>
/// The levels of a hierarchical stage: outer targets (their parameters' indices in the study's space) and inner targets,
/// the number of outer candidates and the inner trials per candidate (0: until that level's method is exhausted).
/// </summary>
public sealed record HierarchyPlan(string[] OuterTargets, string[] InnerTargets, int[] OuterIndices, long OuterBudget, long InnerBudget);
