using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Methods;

/// <summary>Value equality and binary snapshots of assignments (parameter value arrays).</summary>
internal static class Assignments
{
    /// <summary>Compares assignments element by element, for duplicate checks and for matching a told trial after a restore.</summary>
    public static IEqualityComparer<ParamValue[]> ByValue { get; } = new ValueComparer();

    public static void Write(BinaryWriter writer, ParamValue[] assignment)
    {
        writer.Write(assignment.Length);
        foreach (var value in assignment)
        {
            writer.Write((byte)value.Kind);
            switch (value.Kind)
            {
                case ParamKind.Int: writer.Write(value.AsInt); break;
                case ParamKind.Float: writer.Write(value.AsFloat); break;
                case ParamKind.String: writer.Write(value.AsString); break;
                case ParamKind.Bool: writer.Write(value.AsBool); break;
                default: throw new InvalidOperationException($"cannot snapshot a parameter value of kind {value.Kind}");
            }
        }
    }

    public static ParamValue[] Read(BinaryReader reader)
    {
        var assignment = new ParamValue[reader.ReadInt32()];
        for (int i = 0; i < assignment.Length; i++)
        {
            assignment[i] = (ParamKind)reader.ReadByte() switch
            {
                ParamKind.Int => ParamValue.Int(reader.ReadInt64()),
                ParamKind.Float => ParamValue.Float(reader.ReadDouble()),
                ParamKind.String => ParamValue.String(reader.ReadString()),
                ParamKind.Bool => ParamValue.Bool(reader.ReadBoolean()),
                var kind => throw new InvalidDataException($"snapshot holds a parameter value of unknown kind {kind}"),
            };
        }

        return assignment;
    }

    public static void WriteVector(BinaryWriter writer, double[] vector)
    {
        writer.Write(vector.Length);
        foreach (double x in vector)
        {
            writer.Write(x);
        }
    }

    public static double[] ReadVector(BinaryReader reader)
    {
        var vector = new double[reader.ReadInt32()];
        for (int i = 0; i < vector.Length; i++)
        {
            vector[i] = reader.ReadDouble();
        }

        return vector;
    }

    private sealed class ValueComparer : IEqualityComparer<ParamValue[]>
    {
        public bool Equals(ParamValue[]? x, ParamValue[]? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

        public int GetHashCode(ParamValue[] obj)
        {
            var hash = default(HashCode);
            foreach (var value in obj)
            {
                hash.Add(value);
            }

            return hash.ToHashCode();
        }
    }
}
