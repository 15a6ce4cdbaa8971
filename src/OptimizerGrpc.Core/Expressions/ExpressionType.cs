namespace OptimizerGrpc.Core.Expressions;

/// <summary>The kind of a value or of an expression's result.</summary>
public enum ExpressionType
{
    /// <summary>
    /// Not known until evaluation: the expression is a bare parameter name, or a value was never set.
    /// </summary>
    Unknown = 0,
    Number = 1,
    Boolean = 2,
    String = 3,
}
