namespace OptimizerGrpc.Core.Methods.Grid;

/// <summary>Grid search. <paramref name="FloatPoints"/> is the grid size of a float range without step (default 10).</summary>
public sealed record GridSettings(int FloatPoints = 10, bool Shuffle = false) : MethodSettings;
