namespace OptimizerGrpc.Core.Expressions;

/// <summary>
/// A parse, bind or evaluation error. <see cref="Exception.Message"/> is "{Reason} at {Position}" so a
/// caller can prefix the constraint's name: "constraint 'c1': unknown parameter 'slw' at 7".
/// </summary>
public sealed class ExpressionException : Exception
{
    public ExpressionException(string reason, int position)
        : base($"{reason} at {position}")
    {
        Reason = reason;
        Position = position;
    }

    /// <summary>0-based character offset into the expression text.</summary>
    public int Position { get; }

    /// <summary>The message without the position, e.g. "unexpected ')'".</summary>
    public string Reason { get; }

    internal static ExpressionException TypeMismatch(ExpressionType expected, ExpressionType actual, int position) =>
        new($"expected {Describe(expected)} but got {Describe(actual)}", position);

    internal static string Describe(ExpressionType type) => type switch
    {
        ExpressionType.Number => "a number",
        ExpressionType.Boolean => "a boolean",
        ExpressionType.String => "a string",
        _ => "an unset value",
    };
}
