using System.Globalization;

namespace OptimizerGrpc.Client;

/// <summary>Which type a <see cref="ParamValue"/> holds.</summary>
public enum ParamKind
{
    /// <summary>A 64-bit integer.</summary>
    Int = 1,

    /// <summary>A double.</summary>
    Float = 2,

    /// <summary>A string (categorical choice).</summary>
    String = 3,

    /// <summary>A boolean.</summary>
    Bool = 4,
}

/// <summary>One typed parameter value, as on the wire. The accessors throw when the value holds another type.</summary>
public readonly record struct ParamValue
{
    private readonly long _int;
    private readonly double _float;
    private readonly string? _string;
    private readonly bool _bool;

    private ParamValue(ParamKind kind, long i = 0, double f = 0, string? s = null, bool b = false)
    {
        Kind = kind;
        _int = i;
        _float = f;
        _string = s;
        _bool = b;
    }

    /// <summary>The type held.</summary>
    public ParamKind Kind { get; }

    /// <summary>An integer value.</summary>
    public static ParamValue Of(long value) => new(ParamKind.Int, i: value);

    /// <summary>A float value.</summary>
    public static ParamValue Of(double value) => new(ParamKind.Float, f: value);

    /// <summary>A string value.</summary>
    public static ParamValue Of(string value) => new(ParamKind.String, s: value ?? throw new ArgumentNullException(nameof(value)));

    /// <summary>A boolean value.</summary>
    public static ParamValue Of(bool value) => new(ParamKind.Bool, b: value);

    /// <summary>Converts an int.</summary>
    public static implicit operator ParamValue(int value) => Of(value);

    /// <summary>Converts a long.</summary>
    public static implicit operator ParamValue(long value) => Of(value);

    /// <summary>Converts a double.</summary>
    public static implicit operator ParamValue(double value) => Of(value);

    /// <summary>Converts a string.</summary>
    public static implicit operator ParamValue(string value) => Of(value);

    /// <summary>Converts a bool.</summary>
    public static implicit operator ParamValue(bool value) => Of(value);

    /// <summary>The integer; throws unless <see cref="Kind"/> is Int.</summary>
    public long AsInt64() => Kind == ParamKind.Int ? _int : throw WrongKind(ParamKind.Int);

    /// <summary>The integer as int; throws unless Int and within int range.</summary>
    public int AsInt32() => checked((int)AsInt64());

    /// <summary>The number as double: a Float, or an Int widened. Throws for strings and booleans.</summary>
    public double AsDouble() => Kind switch
    {
        ParamKind.Float => _float,
        ParamKind.Int => _int,
        _ => throw WrongKind(ParamKind.Float),
    };

    /// <summary>The string; throws unless <see cref="Kind"/> is String.</summary>
    public string AsString() => Kind == ParamKind.String ? _string! : throw WrongKind(ParamKind.String);

    /// <summary>The boolean; throws unless <see cref="Kind"/> is Bool.</summary>
    public bool AsBool() => Kind == ParamKind.Bool ? _bool : throw WrongKind(ParamKind.Bool);

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        ParamKind.Int => _int.ToString(CultureInfo.InvariantCulture),
        ParamKind.Float => _float.ToString("R", CultureInfo.InvariantCulture),
        ParamKind.String => _string!,
        ParamKind.Bool => _bool ? "true" : "false",
        _ => "(unset)",
    };

    private InvalidOperationException WrongKind(ParamKind wanted) =>
        new($"Parameter value {this} is {(Kind == 0 ? "unset" : Kind.ToString())}, not {wanted}.");
}
