namespace OptimizerGrpc.Core.Methods;

/// <summary>A method's validated settings; the engine builds the method from these.</summary>
public abstract record MethodSettings;

/// <summary>Uniform random search, the baseline.</summary>
public sealed record RandomSettings : MethodSettings;
