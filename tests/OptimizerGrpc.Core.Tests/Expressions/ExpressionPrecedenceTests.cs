using OptimizerGrpc.Core.Expressions;

namespace OptimizerGrpc.Core.Tests.Expressions;

public sealed class ExpressionPrecedenceTests
{
    private static readonly Dictionary<string, ExpressionValue> NoValues = [];

    // Expected values worked by hand from the precedence table:
    // or < and < not < comparison < + - < * / < unary - < ^ < primary; ^ is right-associative.
    [Theory]
    [InlineData("1 + 2 * 3", 7)]
    [InlineData("(1 + 2) * 3", 9)]
    [InlineData("10 - 4 - 3", 3)]
    [InlineData("100 / 10 / 5", 2)]
    [InlineData("8 / 2 * 4", 16)]
    [InlineData("2 ^ 3 ^ 2", 512)]
    [InlineData("(2 ^ 3) ^ 2", 64)]
    [InlineData("2 * 3 ^ 2", 18)]
    [InlineData("-2 ^ 2", -4)]
    [InlineData("(-2) ^ 2", 4)]
    [InlineData("2 ^ -1", 0.5)]
    [InlineData("2 ^ -2 ^ 2", 0.0625)]
    [InlineData("-3 * -2", 6)]
    [InlineData("1 - -1", 2)]
    [InlineData("- -1", 1)]
    [InlineData("--1", 1)]
    [InlineData("1 + 2 * 3 ^ 2 / 6 - 1", 3)]
    [InlineData("-abs(-2)", -2)]
    [InlineData("1.5e1 + .5", 15.5)]
    [InlineData("1e-3 * 1000", 1)]
    [InlineData("2.5E+2", 250)]
    [InlineData("min(3, 1, 2)", 1)]
    [InlineData("max(3, 1, 2)", 3)]
    [InlineData("min(7)", 7)]
    [InlineData("abs(-2.5)", 2.5)]
    [InlineData("sqrt(16)", 4)]
    [InlineData("log(1)", 0)]
    [InlineData("max(1, 2) ^ min(3, 4)", 8)]
    [InlineData("  ( 1 )  ", 1)]
    public void EvaluateNumber_ArithmeticPrecedence_MatchesHandComputedValue(string text, double expected)
    {
        Assert.Equal(expected, CompiledExpression.Parse(text).EvaluateNumber(NoValues));
    }

    [Theory]
    [InlineData("true or false and false", true)]
    [InlineData("(true or false) and false", false)]
    [InlineData("not true or true", true)]
    [InlineData("not (true or true)", false)]
    [InlineData("not 1 < 2", false)]
    [InlineData("not not true", true)]
    [InlineData("1 < 2 and 3 > 4", false)]
    [InlineData("1 < 2 or 3 > 4", true)]
    [InlineData("1 + 1 == 2", true)]
    [InlineData("2 * 3 >= 6", true)]
    [InlineData("1 <= 1", true)]
    [InlineData("1 != 1", false)]
    [InlineData("!false && true", true)]
    [InlineData("false || !true", false)]
    [InlineData("true == false", false)]
    [InlineData("true != false", true)]
    [InlineData("(1 < 2) == (3 < 4)", true)]
    [InlineData("'a' == \"a\"", true)]
    [InlineData("'a' != 'b'", true)]
    [InlineData("'' == \"\"", true)]
    public void EvaluateBool_BooleanPrecedence_MatchesHandComputedValue(string text, bool expected)
    {
        Assert.Equal(expected, CompiledExpression.Parse(text).EvaluateBool(NoValues));
    }

    [Theory]
    [InlineData("1 + 2", ExpressionType.Number)]
    [InlineData("-x", ExpressionType.Number)]
    [InlineData("a < b", ExpressionType.Boolean)]
    [InlineData("x == y", ExpressionType.Boolean)]
    [InlineData("'ema'", ExpressionType.String)]
    [InlineData("x", ExpressionType.Unknown)]
    [InlineData("(x)", ExpressionType.Unknown)]
    public void Parse_Expression_InfersResultType(string text, ExpressionType expected)
    {
        Assert.Equal(expected, CompiledExpression.Parse(text).ResultType);
    }
}
