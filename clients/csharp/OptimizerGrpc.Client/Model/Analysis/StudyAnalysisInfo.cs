namespace OptimizerGrpc.Client;

/// <summary>
/// A study's analysis (AnalyzeStudy, or GetStudyResult with the analysis): one analysis per stage, plus the regime
/// matrix of a regime-specific study and the summary of a walk-forward study.
/// </summary>
/// <param name="Stages">Each stage's analysis, in the study's stage order.</param>
/// <param name="Regimes">How each regime's winner scores in every regime; null unless the study is regime-specific.</param>
/// <param name="WalkForward">The walk-forward windows' summary; null unless the study is a walk-forward.</param>
public sealed record StudyAnalysisInfo(
    IReadOnlyList<StageAnalysisInfo> Stages, RegimeMatrixInfo? Regimes, WalkForwardAnalysisInfo? WalkForward)
{
    /// <summary>The analysis of stage <paramref name="stageId"/>, or null.</summary>
    public StageAnalysisInfo? Stage(string stageId) =>
        Stages.FirstOrDefault(s => string.Equals(s.StageId, stageId, StringComparison.Ordinal));
}

/// <summary>Each regime's winner scored in every regime: how regime-specific the winners really are.</summary>
/// <param name="Regimes">The regimes, in row (and column) order.</param>
/// <param name="BarShares">Each regime's share of the labelled bars.</param>
/// <param name="SharpeRatios">Row-major: row i is regime i's winner, column j its per-period Sharpe ratio on regime j's
/// bars (NaN where it has none). <see cref="SharpeRatio"/> reads one cell.</param>
/// <param name="Unavailable">Why the matrix is empty, when it is; null otherwise.</param>
public sealed record RegimeMatrixInfo(
    IReadOnlyList<string> Regimes, IReadOnlyList<double> BarShares, IReadOnlyList<double> SharpeRatios, string? Unavailable)
{
    /// <summary>The per-period Sharpe ratio of regime <paramref name="winner"/>'s winner on regime <paramref name="regime"/>'s bars.</summary>
    public double SharpeRatio(int winner, int regime)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(winner);
        ArgumentOutOfRangeException.ThrowIfNegative(regime);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(winner, Regimes.Count);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(regime, Regimes.Count);
        return SharpeRatios[(winner * Regimes.Count) + regime];
    }
}

/// <summary>The walk-forward windows' summary.</summary>
/// <param name="WindowEfficiency">Per window: annualised out-of-sample return over annualised in-sample return.</param>
/// <param name="ProfitableWindowShare">Share of windows with a positive out-of-sample return, in [0, 1].</param>
/// <param name="Stitched">Statistics of the stitched out-of-sample returns (N = windows); null when unavailable.</param>
/// <param name="ParameterDrift">Each numeric parameter's coefficient of variation across windows.</param>
public sealed record WalkForwardAnalysisInfo(
    IReadOnlyList<double> WindowEfficiency, double ProfitableWindowShare, SharpeStatisticsInfo? Stitched,
    IReadOnlyDictionary<string, double> ParameterDrift)
{
    /// <summary>The stitched out-of-sample equity (from 1), sampled to at most 2,000 values with the last one kept.</summary>
    public IReadOnlyList<double> StitchedEquity { get; init; } = [];
}
