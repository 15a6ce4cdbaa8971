using System.Globalization;

namespace OptimizerGrpc.Core.Spaces;

/// <summary>The type of a <see cref="ParamValue"/>.</summary>
public enum ParamKind : byte
{
    Int = 1,
    Float = 2,
    String = 3,
    Bool = 4,
}

/// <summary>One typed parameter value. A small immutable value; no boxing.</summary>
public readonly record struct ParamValue
{
    private readonly long _int;
    private readonly double _float;
    private readonly string? _string;

    private ParamValue(ParamKind kind, long i, double f, string? s)
    {
        Kind = kind;
        _int = i;
        _float = f;
        _string = s;
    }

    public ParamKind Kind { get; }

    public static ParamValue Int(long value) => new(ParamKind.Int, value, 0, null);

    public static ParamValue Float(double value) => new(ParamKind.Float, 0, value, null);

    public static ParamValue String(string value) => new(ParamKind.String, 0, 0, value ?? throw new ArgumentNullException(nameof(value)));

    public static ParamValue Bool(bool value) => new(ParamKind.Bool, value ? 1 : 0, 0, null);

    public long AsInt => Kind == ParamKind.Int ? _int : throw WrongKind(ParamKind.Int);

    public double AsFloat => Kind == ParamKind.Float ? _float : throw WrongKind(ParamKind.Float);

    public string AsString => Kind == ParamKind.String ? _string! : throw WrongKind(ParamKind.String);

    public bool AsBool => Kind == ParamKind.Bool ? _int != 0 : throw WrongKind(ParamKind.Bool);

    /// <summary>The value as a number, for expressions and surrogate models: ints and floats as is, bools as 0/1.</summary>
    public bool TryAsNumber(out double number)
    {
        switch (Kind)
        {
            case ParamKind.Int: number = _int; return true;
            case ParamKind.Float: number = _float; return true;
            case ParamKind.Bool: number = _int; return true;
            default: number = double.NaN; return false;
        }
    }

    public override string ToString() => Kind switch
    {
        ParamKind.Int => _int.ToString(CultureInfo.InvariantCulture),
        ParamKind.Float => _float.ToString("R", CultureInfo.InvariantCulture),
        ParamKind.String => _string!,
        ParamKind.Bool => _int != 0 ? "true" : "false",
        _ => "<unset>",
    };

    private InvalidOperationException WrongKind(ParamKind wanted) =>
        new($"parameter value is {Kind}, not {wanted}");
}
