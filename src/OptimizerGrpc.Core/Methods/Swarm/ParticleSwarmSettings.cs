namespace OptimizerGrpc.Core.Methods.Swarm;

/// <summary>Settings of the <see cref="ParticleSwarm"/>. The coefficient defaults are the constriction-equivalent values
/// of Clerc and Kennedy ("The particle swarm - explosion, stability, and convergence in a multidimensional complex space",
/// IEEE Trans. Evolutionary Computation 6(1), 2002): chi = 0.7298 with phi = 4.1 split evenly, so w = chi and
/// c1 = c2 = chi * 2.05 = 1.49618, which keeps the swarm convergent without a velocity limit.</summary>
/// <param name="SwarmSize">Particles, 1 to 100000. Default 30. Each iteration costs this many trials.</param>
/// <param name="Iterations">Iterations (swarm moves) evaluated before the method is exhausted, 1 to 1000000. Default 50.</param>
/// <param name="Inertia">Weight w of the previous velocity, 0 to 1. Default 0.7298.</param>
/// <param name="Cognitive">Acceleration c1 towards the particle's own best, 0 to 4. Default 1.49618.</param>
/// <param name="Social">Acceleration c2 towards the swarm's best, 0 to 4. Default 1.49618.</param>
/// <param name="MaxVelocityFraction">Largest velocity per dimension as a fraction of the parameter's range,
/// greater than 0 and at most 1. Default 0.2.</param>
public sealed record ParticleSwarmSettings(
    int SwarmSize = 30,
    int Iterations = 50,
    double Inertia = 0.7298,
    double Cognitive = 1.49618,
    double Social = 1.49618,
    double MaxVelocityFraction = 0.2) : MethodSettings
{
    public const int MaxSwarmSize = 100_000;
    public const int MaxIterations = 1_000_000;

    /// <summary>Every invalid setting, empty when the settings are usable.</summary>
    public static IReadOnlyList<SettingsViolation> Validate(ParticleSwarmSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var violations = new List<SettingsViolation>();
        SettingsRules.Between(violations, "swarm_size", settings.SwarmSize, 1, MaxSwarmSize);
        SettingsRules.Between(violations, "iterations", settings.Iterations, 1, MaxIterations);
        SettingsRules.Between(violations, "inertia", settings.Inertia, 0.0, 1.0);
        SettingsRules.Between(violations, "cognitive", settings.Cognitive, 0.0, 4.0);
        SettingsRules.Between(violations, "social", settings.Social, 0.0, 4.0);
        SettingsRules.AboveAtMost(violations, "max_velocity_fraction", settings.MaxVelocityFraction, 0.0, 1.0);
        return violations;
    }
}
