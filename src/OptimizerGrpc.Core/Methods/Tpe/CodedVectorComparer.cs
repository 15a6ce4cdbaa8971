namespace OptimizerGrpc.Core.Methods.Tpe;

/// <summary>Coded assignments compared by value (0.0 and -0.0 hash alike), so TPE can tell a tried assignment from a new one.</summary>
internal sealed class CodedVectorComparer : IEqualityComparer<double[]>
{
    public static CodedVectorComparer Instance { get; } = new();

    public bool Equals(double[]? x, double[]? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

    public int GetHashCode(double[] obj)
    {
        var hash = default(HashCode);
        foreach (double v in obj)
        {
            hash.Add(v + 0.0);
        }

        return hash.ToHashCode();
    }
}
