using OptimizerGrpc.Core.Analysis.Landscape;
using OptimizerGrpc.Core.Analysis.Overfitting;

namespace OptimizerGrpc.Core.Analysis;

/// <summary>What a study's analysis computes, and how: the landscape's and the overfitting statistics' options.</summary>
public sealed record AnalysisSettings(LandscapeOptions Landscape, OverfittingOptions Overfitting)
{
    public static AnalysisSettings Default { get; } = new(LandscapeOptions.Default, new OverfittingOptions());
}

/// <summary>
/// One stage's analysis: its landscape (importance, sensitivity, robustness, modes; null with the reason in
/// <paramref name="Unavailable"/> when there is nothing to analyse) and the overfitting statistics of its winner.
/// </summary>
public sealed record StageAnalysisReport(
    string StageId, string Metric, long CompletedTrials, LandscapeReport? Landscape, OverfittingReport? Overfitting, string Unavailable)
{
    /// <summary>A multi-objective stage's non-dominated completed trials (numbers, ascending); empty otherwise.</summary>
    public IReadOnlyList<long> ParetoFront { get; init; } = [];
}

/// <summary>A study's analysis: one per stage, the cross-regime matrix of a regime study, the walk-forward summary.</summary>
public sealed record StudyAnalysisReport(IReadOnlyList<StageAnalysisReport> Stages, RegimeMatrixReport? Regimes, WalkForwardReport? WalkForward);
