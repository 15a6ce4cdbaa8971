namespace OptimizerGrpc.Core.Studies;

/// <summary>One objective as the engine uses it: the value name and whether higher is better.</summary>
public sealed record ObjectiveDefinition(string Metric, bool Maximize)
{
    /// <summary>The value oriented so that higher is better.</summary>
    public double Orient(double value) => Maximize ? value : -value;
}
