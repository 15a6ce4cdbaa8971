using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Methods.Auto;
using OptimizerGrpc.Core.Methods.Bayesian;
using OptimizerGrpc.Core.Methods.Genetic;
using OptimizerGrpc.Core.Methods.Swarm;
using OptimizerGrpc.Core.Methods.Tpe;

namespace OptimizerGrpc.Benchmarks;

/// <summary>The methods the quality suite compares, each with the settings it runs and a one-line description (auto's
/// is built from <see cref="AutoChoice"/>'s constants, so it names what auto runs).</summary>
internal static class QualityMethods
{
    internal sealed record MethodEntry(string Name, MethodSettings Settings, string Description);

    public static List<MethodEntry> All() =>
    [
        new("random", new RandomSettings(), "uniform random search"),
        new("genetic", new GeneticSettings(PopulationSize: 16, Generations: 1000, MutationRate: 0.2, CrossoverRate: 0.7, EliteCount: 2, TournamentSize: 3),
            "population 16, elite 2, tournament 3, crossover 0.7, mutation 0.2 per gene (16 + 14 per generation)"),
        new("particle_swarm", new ParticleSwarmSettings(SwarmSize: 10, Iterations: 1000),
            "swarm 10, w 0.7298, c1 = c2 = 1.49618, max velocity 0.2 of the range"),
        new("bayesian", new BayesianSettings(InitialTrials: 10),
            "GP Matern 5/2 ARD, log EI, n_initial 10 (Latin hypercube), refit every 5"),
        new("bayesian_warped", new BayesianSettings(InitialTrials: 10, OutputWarping: true),
            "the same GP on Yeo-Johnson-warped scores (output_warping, HEBO)"),
        new("tpe", new TpeSettings(), "our TPE, defaults: multivariate, 10 startup trials, 24 candidates, prior weight 1"),
        new("auto", new AutoSettings(), FormattableString.Invariant(
            $"auto: grid if the whole grid fits the budget; GP if >= half the parameters are continuous, <= {AutoChoice.MaxGpParameters} parameters, budget <= {AutoChoice.MaxGpBudget}; TPE if >= half are continuous; ") +
            FormattableString.Invariant(
            $"else per-parameter TPE with {AutoChoice.LocalFraction * 100:0}% local proposals ({AutoChoice.LateLocalFraction * 100:0}% after {AutoChoice.LateAfter} trials, ") +
            FormattableString.Invariant(
            $"{AutoChoice.SecondBasinFraction * 100:0}% of them around a second basin) and int ranges spanning {AutoChoice.LogScaleRatio}x on a log scale")),
    ];
}
