namespace OptimizerGrpc.Core.Methods;

/// <summary>A method's validated settings; the engine builds the method from these.</summary>
public abstract record MethodSettings;

/// <summary>Grid search. <paramref name="FloatPoints"/> is the grid size of a float range without step (default 10).</summary>
public sealed record GridSettings(int FloatPoints = 10, bool Shuffle = false) : MethodSettings;

/// <summary>Uniform random search, the baseline.</summary>
public sealed record RandomSettings : MethodSettings;
