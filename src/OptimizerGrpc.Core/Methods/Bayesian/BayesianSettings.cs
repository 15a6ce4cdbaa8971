using System.Globalization;

namespace OptimizerGrpc.Core.Methods.Bayesian;

/// <summary>The acquisition function a <see cref="BayesianSearch"/> maximises to choose its next point.</summary>
public enum BayesianAcquisition
{
    /// <summary>Log expected improvement (Ament et al., "Unexpected improvements to expected improvement
    /// for Bayesian optimization", NeurIPS 2023): the logarithm of EI computed without underflow, so it still
    /// ranks candidates far from the incumbent where plain EI is exactly zero. The default.</summary>
    LogExpectedImprovement = 1,

    /// <summary>Expected improvement over the best observed score (Jones, Schonlau and Welch 1998).</summary>
    ExpectedImprovement = 2,

    /// <summary>Upper confidence bound mu + sqrt(beta) * sigma (Srinivas et al., "Gaussian process optimization
    /// in the bandit setting", ICML 2010); beta is <see cref="BayesianSettings.UcbBeta"/>.</summary>
    UpperConfidenceBound = 3,
}

/// <summary>
/// Gaussian-process Bayesian optimisation.
/// </summary>
/// <param name="InitialTrials">Points of the Latin hypercube design issued before the model takes over (default 10, 1..10000).</param>
/// <param name="Acquisition">Acquisition function (default log expected improvement).</param>
/// <param name="UcbBeta">Exploration weight of UCB, used as sqrt(beta) * sigma (default 2.0, 0..100).</param>
/// <param name="RefitEvery">Hyperparameters are refitted once this many new observations arrived since the last fit;
/// in between, the model is re-conditioned on all data with the previous hyperparameters (default 5, 1..1000).</param>
/// <param name="MaxTrainingPoints">Cap on the GP training set: the best half and the most recent rest are kept
/// (default 500, 10..5000).</param>
/// <param name="OutputWarping">Fit a Yeo-Johnson transform to the standardised targets by maximum likelihood at every
/// ask and model the transformed values (<see cref="YeoJohnson"/>; HEBO). Default false: it helps heavy-tailed
/// objectives and hurts others (docs/methods.md).</param>
public sealed record BayesianSettings(
    int InitialTrials = 10,
    BayesianAcquisition Acquisition = BayesianAcquisition.LogExpectedImprovement,
    double UcbBeta = 2.0,
    int RefitEvery = 5,
    int MaxTrainingPoints = 500,
    bool OutputWarping = false) : MethodSettings
{
    /// <summary>The violations of <paramref name="settings"/> as (field, message) pairs; empty when valid.
    /// Field names are those of the wire message (n_initial, acquisition, ucb_beta); the two settings that have
    /// no wire field are named refit_every and max_training_points.</summary>
    public static IReadOnlyList<(string Field, string Message)> Validate(BayesianSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var violations = new List<(string, string)>();
        if (settings.InitialTrials is < 1 or > 10_000)
        {
            violations.Add(("n_initial", string.Create(CultureInfo.InvariantCulture, $"must be between 1 and 10000, got {settings.InitialTrials}")));
        }

        if (!Enum.IsDefined(settings.Acquisition))
        {
            violations.Add(("acquisition", $"must be log expected improvement, expected improvement or upper confidence bound, got {(int)settings.Acquisition}"));
        }

        if (!(settings.UcbBeta is >= 0 and <= 100))
        {
            violations.Add(("ucb_beta", string.Create(CultureInfo.InvariantCulture, $"must be between 0 and 100, got {settings.UcbBeta}")));
        }

        if (settings.RefitEvery is < 1 or > 1000)
        {
            violations.Add(("refit_every", string.Create(CultureInfo.InvariantCulture, $"must be between 1 and 1000, got {settings.RefitEvery}")));
        }

        if (settings.MaxTrainingPoints is < 10 or > 5000)
        {
            violations.Add(("max_training_points", string.Create(CultureInfo.InvariantCulture, $"must be between 10 and 5000, got {settings.MaxTrainingPoints}")));
        }

        return violations;
    }
}
