namespace OptimizerGrpc.Optimization;

/// <summary>
/// Something whose parameters can be optimised (the spec's <c>OptimizationTarget</c>). Parameter names are the
/// spec's: "rule.parameter" for rule targets, plain names otherwise. Targets are stateful: the manager applies a
/// trial's values with <see cref="SetParameters"/> before each backtest.
/// </summary>
public interface IOptimizationTarget
{
    /// <summary>Each parameter's domain, by name.</summary>
    IReadOnlyDictionary<string, ParameterDomain> GetParameterSpace();

    /// <summary>Current values by name.</summary>
    IReadOnlyDictionary<string, double> GetParameters();

    /// <summary>Applies values (a subset is allowed); throws <see cref="ArgumentException"/> when they are invalid.</summary>
    void SetParameters(IReadOnlyDictionary<string, double> parameters);

    /// <summary>Checks values without applying them.</summary>
    (bool IsValid, string? Error) ValidateParameters(IReadOnlyDictionary<string, double> parameters);

    /// <summary>Restores the values the target was created with.</summary>
    void Reset();

    /// <summary>The target's type and description.</summary>
    TargetMetadata GetMetadata();

    /// <summary>
    /// Relationships between this target's parameters that every candidate must satisfy, written over the
    /// target's parameter names (e.g. "ma.fast_window &lt; ma.slow_window"). The manager sends them to the server as
    /// relationship constraints so that invalid candidates are never issued. Default none.
    /// </summary>
    IReadOnlyList<string> GetRelationships() => [];
}

/// <summary>What <see cref="IOptimizationTarget.GetMetadata"/> returns.</summary>
/// <param name="Type">The target's class name.</param>
/// <param name="Description">What is optimised.</param>
public sealed record TargetMetadata(string Type, string Description);
