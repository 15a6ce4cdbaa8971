using System.Globalization;

namespace OptimizerGrpc.Core.Expressions;

/// <summary>
/// A parameter or metric value as the expression language sees it: a number, a boolean or a string.
/// <c>default</c> has <see cref="ExpressionType.Unknown"/> kind and reads as "an unset value" in errors.
/// </summary>
public readonly record struct ExpressionValue
{
    // A boolean is stored as 1 or 0 in _number so the struct stays three fields wide.
    private readonly double _number;
    private readonly string? _text;

    private ExpressionValue(ExpressionType kind, double number, string? text)
    {
        Kind = kind;
        _number = number;
        _text = text;
    }

    public ExpressionType Kind { get; }

    public static ExpressionValue Number(double value) => new(ExpressionType.Number, value, null);

    public static ExpressionValue Boolean(bool value) => new(ExpressionType.Boolean, value ? 1 : 0, null);

    public static ExpressionValue String(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(ExpressionType.String, 0, value);
    }

    public double AsNumber => Kind == ExpressionType.Number ? _number : throw WrongKind(ExpressionType.Number);

    public bool AsBoolean => Kind == ExpressionType.Boolean ? _number != 0 : throw WrongKind(ExpressionType.Boolean);

    public string AsString => Kind == ExpressionType.String ? _text! : throw WrongKind(ExpressionType.String);

    // Unchecked reads for the evaluator, which has already checked Kind.
    internal double RawNumber => _number;

    internal string? RawText => _text;

    public override string ToString() => Kind switch
    {
        ExpressionType.Number => _number.ToString("R", CultureInfo.InvariantCulture),
        ExpressionType.Boolean => _number != 0 ? "true" : "false",
        ExpressionType.String => _text!,
        _ => "(unset)",
    };

    private InvalidOperationException WrongKind(ExpressionType wanted) =>
        new($"value is {ExpressionException.Describe(Kind)}, not {ExpressionException.Describe(wanted)}");
}
