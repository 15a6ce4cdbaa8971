namespace OptimizerGrpc.Client;

/// <summary>The neighbourhood view of a stage's best trials, and the robust pick.</summary>
/// <param name="Top">The best trials (up to <see cref="AnalysisSettings.RobustTop"/>), best first.</param>
/// <param name="Best">The stage's best trial; null without completed trials.</param>
/// <param name="RobustPick">The trial with the best neighbourhood mean; null when no trial has a neighbour.</param>
/// <param name="MedianScore">The median score of the stage's trials.</param>
/// <param name="ScoreSpread">The spread of the scores (best minus median).</param>
public sealed record RobustnessInfo(
    IReadOnlyList<NeighbourhoodScoreInfo> Top, NeighbourhoodScoreInfo? Best, NeighbourhoodScoreInfo? RobustPick, double MedianScore, double ScoreSpread);

/// <summary>
/// A trial's score against the mean score of its neighbours: trials whose every free parameter is in the same or an
/// adjacent cell (the same choice for unordered parameters).
/// </summary>
public sealed record NeighbourhoodScoreInfo
{
    /// <summary>The trial.</summary>
    public long TrialNumber { get; init; }

    /// <summary>Its free parameters by "target.name".</summary>
    public IReadOnlyDictionary<string, ParamValue> Params { get; init; } = new Dictionary<string, ParamValue>();

    /// <summary>Its score.</summary>
    public double Score { get; init; }

    /// <summary>The mean score of its neighbours; NaN without neighbours.</summary>
    public double NeighbourhoodMean { get; init; }

    /// <summary>Number of neighbours.</summary>
    public long Neighbours { get; init; }

    /// <summary>It has neighbours and its score minus their mean exceeds half the stage's best minus median.</summary>
    public bool IsolatedPeak { get; init; }

    /// <summary>Parameters whose value is in the first cell of their range.</summary>
    public IReadOnlyList<string> OnLowEdge { get; init; } = [];

    /// <summary>Parameters whose value is in the last cell of their range.</summary>
    public IReadOnlyList<string> OnHighEdge { get; init; } = [];
}

/// <summary>A cluster of good trials in normalised parameter space (DBSCAN, Ester et al. 1996).</summary>
/// <param name="Centre">The cluster's centre by parameter.</param>
/// <param name="Size">Trials in the cluster.</param>
/// <param name="BestTrialNumber">Its best trial.</param>
/// <param name="BestScore">That trial's score.</param>
/// <param name="MinScore">The lowest score in the cluster.</param>
/// <param name="MaxScore">The highest score in the cluster.</param>
/// <param name="ScoreStd">The standard deviation of its scores.</param>
public sealed record ModeInfo(
    IReadOnlyDictionary<string, ParamValue> Centre, long Size, long BestTrialNumber, double BestScore, double MinScore, double MaxScore, double ScoreStd);
