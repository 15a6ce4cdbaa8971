using OptimizerGrpc.Core.Methods;

namespace OptimizerGrpc.Core.Analysis.Landscape;

/// <summary>Settings of a <see cref="LandscapeAnalysis"/>. <see cref="Validate"/> throws on any value out of range.</summary>
/// <param name="Bins">Cells per continuous float parameter (and per ordered discrete parameter with more than
/// <paramref name="MaxLevels"/> values), equal widths on the unit scale; the cells of the sensitivity tables and of the
/// robustness neighbourhoods. 2 to 1000. Default 10.</param>
/// <param name="MaxLevels">Ordered discrete parameters (ints, stepped floats, value lists) with at most this many values
/// get one cell per value; larger ones are binned. 2 to 1000. Default 50.</param>
public sealed record LandscapeOptions(int Bins = 10, int MaxLevels = 50)
{
    public const int MaxCells = 1000;

    public static LandscapeOptions Default { get; } = new();

    public ImportanceOptions Importance { get; init; } = new();

    public SensitivityOptions Sensitivity { get; init; } = new();

    public RobustnessOptions Robustness { get; init; } = new();

    public ModeOptions Modes { get; init; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming every setting out of range and its allowed range.</summary>
    public void Validate()
    {
        var v = new List<SettingsViolation>();
        SettingsRules.Between(v, "bins", Bins, 2, MaxCells);
        SettingsRules.Between(v, "max_levels", MaxLevels, 2, MaxCells);
        ArgumentNullException.ThrowIfNull(Importance);
        ArgumentNullException.ThrowIfNull(Sensitivity);
        ArgumentNullException.ThrowIfNull(Robustness);
        ArgumentNullException.ThrowIfNull(Modes);
        SettingsRules.AboveAtMost(v, "importance.top_fraction", Importance.TopFraction, 0.0, 1.0);
        SettingsRules.Between(v, "importance.grid_steps", Importance.GridSteps, 2, MaxCells);
        SettingsRules.Between(v, "sensitivity.pair_parameters", Sensitivity.PairParameters, 0, SensitivityOptions.MaxPairParameters);
        SettingsRules.Between(v, "robustness.top_trials", Robustness.TopTrials, 1, RobustnessOptions.MaxTopTrials);
        SettingsRules.Between(v, "robustness.isolation_fraction", Robustness.IsolationFraction, 0.0, RobustnessOptions.MaxIsolationFraction);
        SettingsRules.AboveAtMost(v, "modes.top_fraction", Modes.TopFraction, 0.0, 1.0);
        SettingsRules.Between(v, "modes.radius", Modes.Radius, ModeOptions.MinRadius, 1.0);
        SettingsRules.Between(v, "modes.min_points", Modes.MinPoints, 1, ModeOptions.MaxMinPoints);
        SettingsRules.Between(v, "modes.max_trials", Modes.MaxTrials, 1, ModeOptions.MaxMaxTrials);
        SettingsRules.ThrowIfAny(v, nameof(LandscapeOptions));
    }
}

/// <summary>Parameter importance by PED-ANOVA (see <see cref="PedAnova"/>).</summary>
/// <param name="TopFraction">γ: the share of best trials whose parameter densities are compared with all trials',
/// greater than 0 and at most 1 (at least 2 trials are taken). Default 0.1, as Optuna's PedAnovaImportanceEvaluator.</param>
/// <param name="GridSteps">Grid points a numeric parameter's density is estimated on (fewer when the parameter has fewer
/// values). 2 to 1000. Default 50, as Optuna.</param>
public sealed record ImportanceOptions(double TopFraction = 0.1, int GridSteps = 50);

/// <summary>Sensitivity tables and pair surfaces.</summary>
/// <param name="PairParameters">Pair surfaces are drawn for every pair of the this many most important parameters, so
/// at most k(k-1)/2 surfaces of at most <see cref="LandscapeOptions.MaxCells"/>² cells. 0 (none) to 10. Default 4 (6 surfaces).</param>
public sealed record SensitivityOptions(int PairParameters = 4)
{
    public const int MaxPairParameters = 10;
}

/// <summary>Neighbourhood robustness of the best trials.</summary>
/// <param name="TopTrials">How many of the best trials are reported with their neighbourhood. 1 to 1000. Default 10.</param>
/// <param name="IsolationFraction">A trial is an isolated peak when its score minus its neighbourhood mean exceeds this
/// fraction of the stage's score spread (best minus median score). 0 to 10. Default 0.5.</param>
public sealed record RobustnessOptions(int TopTrials = 10, double IsolationFraction = 0.5)
{
    public const int MaxTopTrials = 1000;
    public const double MaxIsolationFraction = 10;
}

/// <summary>Modes: DBSCAN clusters of the best trials in the unit cube (see <see cref="ModeClustering"/>).</summary>
/// <param name="TopFraction">The share of best trials clustered, greater than 0 and at most 1 (at least 1 trial). Default 0.1.</param>
/// <param name="Radius">DBSCAN's ε as a fraction of the unit cube's diagonal (√ of the number of ordered parameters).
/// 0.001 to 1. Default 0.1.</param>
/// <param name="MinPoints">DBSCAN's MinPts: trials within ε, the trial included, that make a trial a core point. 1 to 1000. Default 5.</param>
/// <param name="MaxTrials">At most this many best trials are clustered, whatever the fraction; bounds the work. 1 to 100000. Default 10000.</param>
public sealed record ModeOptions(double TopFraction = 0.1, double Radius = 0.1, int MinPoints = 5, int MaxTrials = 10_000)
{
    public const double MinRadius = 0.001;
    public const int MaxMinPoints = 1000;
    public const int MaxMaxTrials = 100_000;
}
