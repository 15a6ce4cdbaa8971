using OptimizerGrpc.Core.Expressions;

namespace OptimizerGrpc.Core.Tests.Expressions;

public sealed class ExpressionErrorTests
{
    [Theory]
    [InlineData("", "unexpected end of expression", 0)]
    [InlineData("1 +", "unexpected end of expression", 3)]
    [InlineData("x ==", "unexpected end of expression", 4)]
    [InlineData("1 + 2)", "unexpected ')'", 5)]
    [InlineData("(1 + 2))", "unexpected ')'", 7)]
    [InlineData("()", "unexpected ')'", 1)]
    [InlineData("max(1,)", "unexpected ')'", 6)]
    [InlineData("1 2", "unexpected '2'", 2)]
    [InlineData("1 ** 2", "unexpected '*'", 3)]
    [InlineData("and", "unexpected 'and'", 0)]
    [InlineData("1 abcdefghijklmnopqrstuvwxyz", "unexpected 'abcdefghijklmnopqrstuvwx...'", 2)]
    [InlineData("(1 + 2", "unclosed '('", 0)]
    [InlineData("min(1, 2", "unclosed '('", 3)]
    [InlineData("'abc", "unterminated string", 0)]
    [InlineData("x == 'abc", "unterminated string", 5)]
    [InlineData("x == \"abc'", "unterminated string", 5)]
    [InlineData("a = 1", "unexpected '=' (use '==' to compare)", 2)]
    [InlineData("1 # 2", "unexpected character '#'", 2)]
    [InlineData("& 1", "unexpected character '&'", 0)]
    [InlineData("a.", "unexpected character '.'", 1)]
    [InlineData("x +\t@", "unexpected character '@'", 4)]
    [InlineData("é", "unexpected character 'é'", 0)]
    [InlineData("\u0001", "unexpected character U+0001", 0)]
    [InlineData("1e", "malformed number exponent", 0)]
    [InlineData("2 * 1e+x", "malformed number exponent", 4)]
    [InlineData("1e999", "number is too large", 0)]
    [InlineData("1 < 2 < 3", "comparisons cannot be chained; combine them with 'and'", 6)]
    [InlineData("a == b != c", "comparisons cannot be chained; combine them with 'and'", 7)]
    [InlineData("foo(1)", "unknown function 'foo'", 0)]
    [InlineData("sqrt(1, 2)", "function 'sqrt' takes 1 argument, got 2", 0)]
    [InlineData("x + abs()", "function 'abs' takes 1 argument, got 0", 4)]
    [InlineData("min()", "function 'min' takes at least 1 argument, got 0", 0)]
    [InlineData("1 + true", "expected a number but got a boolean", 4)]
    [InlineData("1 + (true)", "expected a number but got a boolean", 4)]
    [InlineData("-true", "expected a number but got a boolean", 1)]
    [InlineData("sqrt(true)", "expected a number but got a boolean", 5)]
    [InlineData("not 1", "expected a boolean but got a number", 4)]
    [InlineData("true and 1", "expected a boolean but got a number", 9)]
    [InlineData("x or 2 * y", "expected a boolean but got a number", 5)]
    [InlineData("'a' < 'b'", "expected a number but got a string", 0)]
    [InlineData("1 == 'a'", "expected a number but got a string", 5)]
    [InlineData("'a' != true", "expected a string but got a boolean", 7)]
    [InlineData("1 < 2 + (3 < 4)", "expected a number but got a boolean", 8)]
    public void Parse_MalformedText_ThrowsWithReasonAndPosition(string text, string reason, int position)
    {
        var error = Assert.Throws<ExpressionException>(() => CompiledExpression.Parse(text));

        Assert.Equal(reason, error.Reason);
        Assert.Equal(position, error.Position);
        Assert.Equal($"{reason} at {position}", error.Message);
    }

    [Fact]
    public void Parse_65NestedParentheses_ThrowsDepthErrorAtThe65thParenthesis()
    {
        var text = new string('(', 65) + "1" + new string(')', 65);

        var error = Assert.Throws<ExpressionException>(() => CompiledExpression.Parse(text));

        Assert.Equal("expression nests deeper than 64 at 64", error.Message);
    }

    [Fact]
    public void Parse_64NestedParentheses_IsAccepted()
    {
        var text = new string('(', 64) + "1" + new string(')', 64);

        Assert.Equal(1, CompiledExpression.Parse(text).EvaluateNumber(new Dictionary<string, ExpressionValue>()));
    }

    [Theory]
    [InlineData("-", "1", 64)]
    [InlineData("not ", "true", 256)]
    [InlineData("2^", "2", 129)]
    [InlineData("sqrt(", "1", 324)]
    public void Parse_DeepPrefixChain_ThrowsDepthError(string repeated, string tail, int position)
    {
        var text = string.Concat(Enumerable.Repeat(repeated, 65)) + tail;

        var error = Assert.Throws<ExpressionException>(() => CompiledExpression.Parse(text));

        Assert.Equal($"expression nests deeper than 64 at {position}", error.Message);
    }

    [Fact]
    public void Parse_TextOneCharacterTooLong_ThrowsLengthError()
    {
        var text = "1" + string.Concat(Enumerable.Repeat("+1", 2048));
        Assert.Equal(CompiledExpression.MaxLength + 1, text.Length);

        var error = Assert.Throws<ExpressionException>(() => CompiledExpression.Parse(text));

        Assert.Equal("expression is longer than 4096 characters at 4096", error.Message);
    }

    [Fact]
    public void Parse_FlatChainAtMaxLength_EvaluatesWithoutRecursion()
    {
        // 2048 operands in a left-associative chain: parsed by the climbing loop, not by recursion.
        var text = "1" + string.Concat(Enumerable.Repeat("+1", 2047)) + " ";
        Assert.Equal(CompiledExpression.MaxLength, text.Length);

        Assert.Equal(2048, CompiledExpression.Parse(text).EvaluateNumber(new Dictionary<string, ExpressionValue>()));
    }

    [Fact]
    public void Parse_UnterminatedStringPastMaxLength_ThrowsLengthError()
    {
        var text = "x == '" + new string('a', 5000);

        var error = Assert.Throws<ExpressionException>(() => CompiledExpression.Parse(text));

        Assert.Equal("expression is longer than 4096 characters at 4096", error.Message);
    }
}
