namespace OptimizerGrpc.Core.Methods.MultiObjective;

/// <summary>Settings of <see cref="Nsga2"/>.</summary>
/// <param name="PopulationSize">Individuals per generation, and parents kept by survival, 2 to 100000. Default 40.</param>
/// <param name="Generations">Generations evaluated before the method is exhausted, 1 to 1000000. Default 50.
/// Every generation costs <paramref name="PopulationSize"/> trials: parents survive with their scores and are not evaluated again.</param>
/// <param name="MutationRate">Chance that each gene of a child mutates, 0 to 1. Default 0.1.</param>
/// <param name="CrossoverRate">Chance that a pair of parents is recombined rather than copied, 0 to 1. Default 0.9 (Deb et al. 2002).</param>
public sealed record Nsga2Settings(
    int PopulationSize = 40,
    int Generations = 50,
    double MutationRate = 0.1,
    double CrossoverRate = 0.9) : MethodSettings
{
    public const int MaxPopulationSize = 100_000;
    public const int MaxGenerations = 1_000_000;

    /// <summary>Every invalid setting, empty when the settings are usable.</summary>
    public static IReadOnlyList<SettingsViolation> Validate(Nsga2Settings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var violations = new List<SettingsViolation>();
        SettingsRules.Between(violations, "population_size", settings.PopulationSize, 2, MaxPopulationSize);
        SettingsRules.Between(violations, "generations", settings.Generations, 1, MaxGenerations);
        SettingsRules.Between(violations, "mutation_rate", settings.MutationRate, 0.0, 1.0);
        SettingsRules.Between(violations, "crossover_rate", settings.CrossoverRate, 0.0, 1.0);
        return violations;
    }
}
