namespace OptimizerGrpc.Core.Methods.Genetic;

/// <summary>Settings of the <see cref="GeneticAlgorithm"/>.</summary>
/// <param name="PopulationSize">Individuals per generation, 2 to 100000. Default 50.</param>
/// <param name="Generations">Generations evaluated before the method is exhausted, 1 to 1000000. Default 50.
/// The first generation costs <paramref name="PopulationSize"/> trials, every later one
/// <paramref name="PopulationSize"/> - <paramref name="EliteCount"/>.</param>
/// <param name="MutationRate">Chance that each gene of a child mutates, 0 to 1. Default 0.1.</param>
/// <param name="CrossoverRate">Chance that a child is bred from two parents rather than copied from one, 0 to 1. Default 0.7.</param>
/// <param name="EliteCount">Best completed individuals carried unchanged (and not re-evaluated) into the next generation,
/// 0 to <paramref name="PopulationSize"/> - 1. Default 2.</param>
/// <param name="TournamentSize">Individuals drawn per tournament; the fittest becomes a parent. 1 (no selection pressure)
/// to <paramref name="PopulationSize"/>. Default 3.</param>
public sealed record GeneticSettings(
    int PopulationSize = 50,
    int Generations = 50,
    double MutationRate = 0.1,
    double CrossoverRate = 0.7,
    int EliteCount = 2,
    int TournamentSize = 3) : MethodSettings
{
    public const int MaxPopulationSize = 100_000;
    public const int MaxGenerations = 1_000_000;

    /// <summary>Every invalid setting, empty when the settings are usable.</summary>
    public static IReadOnlyList<SettingsViolation> Validate(GeneticSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var violations = new List<SettingsViolation>();
        SettingsRules.Between(violations, "population_size", settings.PopulationSize, 2, MaxPopulationSize);
        SettingsRules.Between(violations, "generations", settings.Generations, 1, MaxGenerations);
        SettingsRules.Between(violations, "mutation_rate", settings.MutationRate, 0.0, 1.0);
        SettingsRules.Between(violations, "crossover_rate", settings.CrossoverRate, 0.0, 1.0);
        int population = Math.Clamp(settings.PopulationSize, 2, MaxPopulationSize);
        SettingsRules.Between(violations, "elite_count", settings.EliteCount, 0, population - 1);
        SettingsRules.Between(violations, "tournament_size", settings.TournamentSize, 1, population);
        return violations;
    }
}
