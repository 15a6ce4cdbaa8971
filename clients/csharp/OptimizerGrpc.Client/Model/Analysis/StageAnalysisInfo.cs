namespace OptimizerGrpc.Client;

/// <summary>
/// The analysis of one stage's completed trials. Scores are the stage's ranking score: its objective (negated when
/// minimised) or the weighted sum of its objectives, so higher is always better.
/// </summary>
public sealed record StageAnalysisInfo
{
    /// <summary>The stage.</summary>
    public required string StageId { get; init; }

    /// <summary>The metric the scores are (the first objective), e.g. "sharpe_ratio".</summary>
    public string Metric { get; init; } = string.Empty;

    /// <summary>Completed trials analysed.</summary>
    public long CompletedTrials { get; init; }

    /// <summary>Each free parameter's share of the score's variation (PED-ANOVA), most important first; the shares sum to 1.</summary>
    public IReadOnlyList<ParameterImportanceInfo> Importance { get; init; } = [];

    /// <summary>Best and mean score per value, bin or choice of each parameter.</summary>
    public IReadOnlyList<ParameterSensitivityInfo> Sensitivity { get; init; } = [];

    /// <summary>Best score on the grid of two parameters' cells, for pairs of the most important parameters.</summary>
    public IReadOnlyList<SensitivitySurfaceInfo> Surfaces { get; init; } = [];

    /// <summary>The neighbourhood view of the best trials and the robust pick; null when the landscape is unavailable.</summary>
    public RobustnessInfo? Robustness { get; init; }

    /// <summary>Clusters of good trials in normalised parameter space.</summary>
    public IReadOnlyList<ModeInfo> Modes { get; init; } = [];

    /// <summary>The winner's Sharpe statistics and the stage's probability of backtest overfitting; null when not computed.</summary>
    public OverfittingStatisticsInfo? Overfitting { get; init; }

    /// <summary>Why the landscape (importance, sensitivity, robustness, modes) is empty, when it is; null otherwise.</summary>
    public string? Unavailable { get; init; }

    /// <summary>A multi-objective stage's non-dominated completed trials (ascending numbers); empty otherwise.</summary>
    public IReadOnlyList<long> ParetoFront { get; init; } = [];
}

/// <summary>One parameter's share of the score's variation (PED-ANOVA, Watanabe et al. 2023).</summary>
/// <param name="Parameter">The parameter ("target.name").</param>
/// <param name="Importance">Its share; a stage's importances sum to 1.</param>
/// <param name="Divergence">Pearson divergence between the parameter's density among good trials and among all trials.</param>
public sealed record ParameterImportanceInfo(string Parameter, double Importance, double Divergence);

/// <summary>How a parameter's sensitivity cells are formed (numbered as the contract's <c>CellKind</c>).</summary>
public enum CellKind
{
    /// <summary>Not set.</summary>
    Unspecified = 0,

    /// <summary>One cell per value of an ordered discrete domain.</summary>
    Value = 1,

    /// <summary>One cell per equal bin of the unit scale.</summary>
    Bin = 2,

    /// <summary>One cell per choice of a categorical parameter or a non-numeric value list.</summary>
    Choice = 3,
}

/// <summary>The best and mean score per cell of one parameter, empty cells included.</summary>
/// <param name="Parameter">The parameter ("target.name").</param>
/// <param name="Kind">How the cells are formed.</param>
/// <param name="Cells">The cells in the parameter's order.</param>
public sealed record ParameterSensitivityInfo(string Parameter, CellKind Kind, IReadOnlyList<SensitivityCellInfo> Cells);

/// <summary>One value, bin or choice of a parameter.</summary>
/// <param name="Low">The cell's value (a value or a choice) or its bin's lower edge.</param>
/// <param name="High">The cell's value (equal to <paramref name="Low"/>) or its bin's upper edge.</param>
/// <param name="Count">Completed trials in the cell.</param>
/// <param name="BestScore">Their best score; NaN when <paramref name="Count"/> is 0.</param>
/// <param name="MeanScore">Their mean score; NaN when <paramref name="Count"/> is 0.</param>
public sealed record SensitivityCellInfo(ParamValue Low, ParamValue High, long Count, double BestScore, double MeanScore);

/// <summary>The best score on the grid of two parameters' cells: the data of a heatmap.</summary>
/// <param name="RowParameter">The parameter of the rows (the more important one); rows are its sensitivity cells.</param>
/// <param name="ColumnParameter">The parameter of the columns; columns are its sensitivity cells.</param>
/// <param name="Rows">Number of rows.</param>
/// <param name="Columns">Number of columns.</param>
/// <param name="BestScores">Row-major best scores; NaN where no trial fell. <see cref="BestScore"/> reads one cell.</param>
/// <param name="Counts">Row-major trial counts.</param>
public sealed record SensitivitySurfaceInfo(
    string RowParameter, string ColumnParameter, int Rows, int Columns, IReadOnlyList<double> BestScores, IReadOnlyList<long> Counts)
{
    /// <summary>The best score in cell (<paramref name="row"/>, <paramref name="column"/>); NaN where no trial fell.</summary>
    public double BestScore(int row, int column)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfNegative(column);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Rows);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(column, Columns);
        return BestScores[(row * Columns) + column];
    }
}
