namespace OptimizerGrpc.Core.Studies;

/// <summary>A half-open range of bar indices [Start, End) of the client's series.</summary>
public readonly record struct BarRange(long Start, long End)
{
    public long Length => End - Start;
}
