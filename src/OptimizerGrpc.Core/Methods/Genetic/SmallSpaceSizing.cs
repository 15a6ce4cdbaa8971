using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Methods.Genetic;

/// <summary>
/// How the genetic algorithm sizes itself on a small discrete space. A first generation as large as a sizeable share of
/// the space is uniform random sampling spent before selection acts: with the default 50 individuals on a 49-point grid,
/// a budget of half the grid ends inside generation 0. So on a fully discrete space of N points the population is at
/// most max(<see cref="MinimumPopulation"/>, ceil(N / <see cref="SpacePerIndividual"/>)) (13 on 49 points), elites and
/// tournament shrink with it, and children already evaluated in an earlier generation are bred again (the engine would
/// only tell them their stored result), so each generation spends its slots on new points. Spaces with a continuous
/// range, or too large for an index (over <see cref="MaxIndexedPoints"/> points), keep the settings as given.
/// </summary>
internal static class SmallSpaceSizing
{
    /// <summary>Points of the space per individual of a generation (4).</summary>
    public const int SpacePerIndividual = 4;

    /// <summary>The smallest population the cap leaves (6: a tournament of 3 and 2 elites still select).</summary>
    public const int MinimumPopulation = 6;

    /// <summary>The largest space whose evaluated points are remembered across generations (1,000,000).</summary>
    public const long MaxIndexedPoints = 1_000_000;

    /// <summary>The number of points of a fully discrete space, or null when a parameter is a continuous range.</summary>
    public static long? DiscretePoints(SearchSpace space) =>
        space.Parameters.Any(p => p.Domain is FloatDomain { Step: null }) ? null : space.GridSize(floatPoints: 1);

    /// <summary>The settings the algorithm runs with on <paramref name="space"/> (see the class).</summary>
    public static GeneticSettings Effective(GeneticSettings settings, SearchSpace space)
    {
        if (DiscretePoints(space) is not { } points || points > MaxIndexedPoints)
        {
            return settings;
        }

        long cap = Math.Max(MinimumPopulation, (points + SpacePerIndividual - 1) / SpacePerIndividual);
        int population = (int)Math.Min(settings.PopulationSize, cap);
        return population == settings.PopulationSize ? settings : settings with
        {
            PopulationSize = population,
            EliteCount = Math.Min(settings.EliteCount, population - 1),
            TournamentSize = Math.Min(settings.TournamentSize, population),
        };
    }

    /// <summary>Whether evaluated points are remembered across generations on <paramref name="space"/>.</summary>
    public static bool RemembersEvaluated(SearchSpace space) => DiscretePoints(space) is { } points && points <= MaxIndexedPoints;
}
