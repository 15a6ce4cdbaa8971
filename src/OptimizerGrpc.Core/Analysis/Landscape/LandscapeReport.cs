using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Analysis.Landscape;

/// <summary>
/// The landscape of one stage: which free parameters matter, how the score varies along each and each important pair,
/// whether the best trials sit on plateaus or on isolated peaks, and where the good regions are. Scores are the stage's
/// rank (<c>stage.Rank(stage.Orient(objectives))</c>): higher is better, minimised objectives are negated.
/// </summary>
/// <param name="Parameters">The stage's free parameters, in stage order; every per-parameter list follows this order
/// except <paramref name="Importance"/>, which is sorted.</param>
/// <param name="Trials">Trials analysed: completed, with every objective and a finite score.</param>
/// <param name="Skipped">Trials offered but left out.</param>
public sealed record LandscapeReport(
    string StageId,
    IReadOnlyList<string> Parameters,
    long Trials,
    long Skipped,
    IReadOnlyList<ParameterImportance> Importance,
    IReadOnlyList<ParameterSensitivity> Sensitivity,
    IReadOnlyList<PairSurface> Surfaces,
    RobustnessSummary Robustness,
    ModeSummary Modes);

/// <summary>PED-ANOVA importance of one parameter: the Pearson divergence between its density among the top-γ trials and
/// among all trials, and that divergence's share of the sum over parameters (equal shares when every divergence is 0).</summary>
public sealed record ParameterImportance(string Parameter, double Divergence, double Normalized);

/// <summary>How a parameter's cells are formed: one per value of an ordered discrete domain, equal unit-scale bins, or one
/// per choice of an unordered domain (categoricals and non-numeric value lists).</summary>
public enum CellKind
{
    Value,
    Bin,
    Choice,
}

/// <summary>The score along one parameter: one row per cell, empty cells included, in cell order.</summary>
public sealed record ParameterSensitivity(string Parameter, CellKind Kind, IReadOnlyList<SensitivityCell> Cells);

/// <summary>
/// One cell of a parameter. <paramref name="Low"/> and <paramref name="High"/> are the cell's value (equal for a value
/// or a choice) or its bin's edges mapped back to the domain, half-open except the last bin.
/// <paramref name="UnitLow"/> and <paramref name="UnitHigh"/> are the same edges on the unit scale.
/// <paramref name="Best"/> and <paramref name="Mean"/> are NaN when <paramref name="Count"/> is 0.
/// </summary>
public sealed record SensitivityCell(int Index, ParamValue Low, ParamValue High, double UnitLow, double UnitHigh, long Count, double Best, double Mean);

/// <summary>
/// The best score on a grid of two parameters' cells (the cells of their <see cref="ParameterSensitivity"/>), row-major:
/// row = a cell of <paramref name="RowParameter"/> (the more important one). Empty cells are NaN in
/// <paramref name="Best"/> and 0 in <paramref name="Counts"/>.
/// </summary>
public sealed record PairSurface(string RowParameter, string ColumnParameter, int Rows, int Columns, IReadOnlyList<double> Best, IReadOnlyList<long> Counts)
{
    public double BestAt(int row, int column) => Best[(row * Columns) + column];

    public long CountAt(int row, int column) => Counts[(row * Columns) + column];
}

/// <summary>Where a trial sits in an ordered numeric parameter's range: in its first cell, its last cell, or neither.</summary>
public enum RangeEdge
{
    None,
    Low,
    High,
}

/// <summary>
/// A trial and its neighbourhood: the trials whose every free parameter lies in the same or an adjacent cell (the same
/// choice for unordered parameters), itself excluded. <paramref name="NeighbourhoodMean"/> is NaN without neighbours.
/// <paramref name="IsolatedPeak"/>: it has neighbours and its score minus their mean exceeds
/// <see cref="RobustnessOptions.IsolationFraction"/> × <see cref="RobustnessSummary.ScoreSpread"/>.
/// <paramref name="OnEdge"/>, per parameter: whether the value is in the first or last cell of an ordered numeric range
/// (the minimum or maximum of a discrete range, the first or last bin of a continuous one).
/// </summary>
public sealed record RobustnessEntry(
    long TrialNumber,
    IReadOnlyList<ParamValue> Params,
    double Score,
    double NeighbourhoodMean,
    long Neighbours,
    bool IsolatedPeak,
    IReadOnlyList<RangeEdge> OnEdge);

/// <summary>
/// The best trials with their neighbourhoods (best first), the best trial, and the robust pick: the trial with the highest
/// neighbourhood mean among trials with at least one neighbour (ties: higher own score, then lower trial number); null
/// when no trial has a neighbour. <paramref name="ScoreSpread"/> = best − median score. <paramref name="PickCandidates"/>:
/// how many of the best trials the pick was sought among, every trial unless a sparse neighbourhood search had to be
/// bounded (a fine grid or more than four ordered parameters on a large stage).
/// </summary>
public sealed record RobustnessSummary(
    double MedianScore,
    double ScoreSpread,
    IReadOnlyList<RobustnessEntry> Top,
    RobustnessEntry? Best,
    RobustnessEntry? RobustPick,
    int PickCandidates);

/// <summary>
/// Modes: clusters of the best trials. <paramref name="Points"/> trials were clustered, <paramref name="Noise"/> of them in
/// no mode; <paramref name="Epsilon"/> is DBSCAN's ε on the unit scale. Modes are sorted by best score, best first.
/// </summary>
public sealed record ModeSummary(int Points, int Noise, double Epsilon, IReadOnlyList<LandscapeMode> Modes);

/// <summary>
/// One mode. <paramref name="CentreUnit"/> is its members' mean position on the unit scale, per parameter;
/// <paramref name="Centre"/> maps it back to the domains (snapped to the grid of discrete parameters; a mode never mixes
/// the choices of an unordered parameter). <paramref name="ScoreStd"/> is the population standard deviation.
/// </summary>
public sealed record LandscapeMode(
    int Size,
    IReadOnlyList<double> CentreUnit,
    IReadOnlyList<ParamValue> Centre,
    long BestTrialNumber,
    double BestScore,
    double MinScore,
    double MaxScore,
    double ScoreStd);
