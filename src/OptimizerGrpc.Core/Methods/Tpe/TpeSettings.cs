namespace OptimizerGrpc.Core.Methods.Tpe;

/// <summary>
/// The tree-structured Parzen estimator (Bergstra, Bardenet, Bengio and Kégl, "Algorithms for hyper-parameter
/// optimization", NIPS 2011). Defaults are Optuna's where they have one; <see cref="Multivariate"/> defaults to the joint
/// estimator (Falkner, Klein and Hutter, "BOHB", ICML 2018), which Watanabe ("Tree-structured Parzen estimator:
/// understanding its algorithm components", 2023) finds the stronger choice.
/// </summary>
/// <param name="StartupTrials">Uniform random trials before the estimators take over (default 10, 1..10000).</param>
/// <param name="Candidates">Draws from l(x) scored by l(x)/g(x) per proposal (default 24, 1..10000).</param>
/// <param name="Multivariate">One joint kernel per observation over all parameters (default true) instead of one
/// estimator per parameter.</param>
/// <param name="PriorWeight">Weight of the prior kernel (uniform-ish: centre of the range, width of the range; for a
/// choice, equal mass on every value) beside each observation's weight 1 (default 1.0, 0..100).</param>
/// <param name="LocalFraction">The share of proposals after the startup trials that search the neighbourhood of the best
/// trial so far (<see cref="IncumbentNeighbourhood"/>) instead of drawing from l; either kind is the best of
/// <see cref="Candidates"/> by l/g (default 0, plain TPE; 0..0.9; <c>auto</c> uses 0.35).</param>
/// <param name="LogScaleRatio">Int ranges whose high is at least this many times their low (low above half a step) are
/// searched on a log scale, start-up draws included (<see cref="TpeKind.LogInteger"/>); 0 (the default) for none, else
/// 2..1e6.</param>
/// <param name="LateLocalFraction">The share of local proposals once <paramref name="LateAfter"/> trials have completed,
/// in place of <see cref="LocalFraction"/>: the search leans on the best trial's neighbourhood once the model has seen
/// enough to trust it (0, the default, keeps <see cref="LocalFraction"/> throughout; 0..0.9; <c>auto</c> uses 0.8).</param>
/// <param name="LateAfter">Completed trials after which <see cref="LateLocalFraction"/> applies (default 50, 1..1000000).</param>
/// <param name="SecondBasinFraction">The share of local proposals centred, instead of on the best trial, on the best good
/// trial at least half a parameter's range away from it (<see cref="SecondBasin"/>), so a second hill is climbed while the
/// first is (0, the default, for none; 0..1; <c>auto</c> uses 0.25).</param>
public sealed record TpeSettings(
    int StartupTrials = 10,
    int Candidates = 24,
    bool Multivariate = true,
    double PriorWeight = 1.0,
    double LocalFraction = 0.0,
    double LogScaleRatio = 0.0,
    double LateLocalFraction = 0.0,
    int LateAfter = 50,
    double SecondBasinFraction = 0.0) : MethodSettings
{
    /// <summary>The share of local proposals when <paramref name="completed"/> trials have completed.</summary>
    public double LocalFractionAt(int completed) =>
        LateLocalFraction > 0 && completed >= LateAfter ? LateLocalFraction : LocalFraction;

    /// <summary>The violations of <paramref name="settings"/>, fields named as on the wire (n_startup_trials, n_ei_candidates,
    /// multivariate, prior_weight, ...); empty when valid.</summary>
    public static IReadOnlyList<SettingsViolation> Validate(TpeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var violations = new List<SettingsViolation>();
        SettingsRules.Between(violations, "n_startup_trials", settings.StartupTrials, 1, 10_000);
        SettingsRules.Between(violations, "n_ei_candidates", settings.Candidates, 1, 10_000);
        SettingsRules.Between(violations, "prior_weight", settings.PriorWeight, 0.0, 100.0);
        SettingsRules.Between(violations, "local_fraction", settings.LocalFraction, 0.0, 0.9);
        SettingsRules.Between(violations, "late_local_fraction", settings.LateLocalFraction, 0.0, 0.9);
        SettingsRules.Between(violations, "late_after", settings.LateAfter, 1, 1_000_000);
        SettingsRules.Between(violations, "second_basin_fraction", settings.SecondBasinFraction, 0.0, 1.0);
        if (settings.LogScaleRatio != 0 && !(settings.LogScaleRatio is >= 2 and <= 1e6))
        {
            violations.Add(new("log_scale_ratio", FormattableString.Invariant($"must be 0 (off) or between 2 and 1000000, got {settings.LogScaleRatio}")));
        }
        return violations;
    }
}
