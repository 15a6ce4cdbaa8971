using OptimizerGrpc.Core.Expressions;

namespace OptimizerGrpc.Core.Tests.Expressions;

public sealed class ExpressionEvaluationTests
{
    private static ExpressionValue N(double value) => ExpressionValue.Number(value);

    private static ExpressionValue B(bool value) => ExpressionValue.Boolean(value);

    private static ExpressionValue S(string value) => ExpressionValue.String(value);

    private static Dictionary<string, ExpressionValue> Values(params (string Name, ExpressionValue Value)[] values) =>
        values.ToDictionary(v => v.Name, v => v.Value);

    [Fact]
    public void Bind_UnknownName_ThrowsUnknownParameterAtItsPosition()
    {
        var expression = CompiledExpression.Parse("fast < slw");

        var error = Assert.Throws<ExpressionException>(() => expression.Bind(name => name == "fast" ? 0 : -1));

        Assert.Equal("unknown parameter 'slw' at 7", error.Message);
        Assert.Equal("unknown parameter 'slw'", error.Reason);
        Assert.Equal(7, error.Position);
    }

    [Fact]
    public void EvaluateNumber_MissingDictionaryEntry_ThrowsUnknownParameterAtFirstUse()
    {
        var expression = CompiledExpression.Parse("a + b * b");

        var error = Assert.Throws<ExpressionException>(() => expression.EvaluateNumber(Values(("a", N(1)))));

        Assert.Equal("unknown parameter 'b' at 4", error.Message);
    }

    [Fact]
    public void Names_DottedNames_AreSingleNamesInFirstUseOrder()
    {
        var expression = CompiledExpression.Parse("ma.slow_window > ma.fast_window and ma.fast_window >= 2 and rsi.p1 < ma.slow_window");

        Assert.Equal(["ma.slow_window", "ma.fast_window", "rsi.p1"], expression.Names);
    }

    [Fact]
    public void Names_FunctionNamesAndKeywordPrefixes_AreHandledCorrectly()
    {
        var expression = CompiledExpression.Parse("min(notional, order.size) + True + android.v2");

        Assert.Equal(["notional", "order.size", "True", "android.v2"], expression.Names);
    }

    [Fact]
    public void Bind_SlotLayout_ReadsValuesFromMappedSlots()
    {
        var layout = new Dictionary<string, int> { ["ma.fast_window"] = 3, ["ma.slow_window"] = 1 };
        var bound = CompiledExpression.Parse("ma.fast_window < ma.slow_window").Bind(name => layout.GetValueOrDefault(name, -1));
        var slots = new ExpressionValue[4];
        slots[3] = N(10);
        slots[1] = N(50);

        Assert.True(bound.EvaluateBool(slots));
        slots[3] = N(60);
        Assert.False(bound.EvaluateBool(slots));
    }

    [Fact]
    public void EvaluateBool_TooFewSlots_ThrowsArgumentException()
    {
        var bound = CompiledExpression.Parse("a < b").Bind(name => name == "a" ? 0 : 5);

        Assert.Throws<ArgumentException>(() => bound.EvaluateBool(new ExpressionValue[2]));
    }

    [Theory]
    [InlineData("ema", 5, true)]
    [InlineData("sma", 5, false)]
    [InlineData("ema", 15, false)]
    [InlineData("EMA", 5, false)]
    public void EvaluateBool_CategoricalEquality_ComparesStringsOrdinally(string kind, double fast, bool expected)
    {
        var expression = CompiledExpression.Parse("ma.kind == 'ema' and ma.fast < 10");

        Assert.Equal(expected, expression.EvaluateBool(Values(("ma.kind", S(kind)), ("ma.fast", N(fast)))));
    }

    [Theory]
    [InlineData("a", "a", true)]
    [InlineData("a", "b", false)]
    public void EvaluateBool_TwoStringParameters_ComparesValues(string a, string b, bool equal)
    {
        Assert.Equal(equal, CompiledExpression.Parse("x == y").EvaluateBool(Values(("x", S(a)), ("y", S(b)))));
        Assert.Equal(!equal, CompiledExpression.Parse("x != y").EvaluateBool(Values(("x", S(a)), ("y", S(b)))));
    }

    [Fact]
    public void EvaluateBool_TwoBooleanParameters_ComparesValues()
    {
        Assert.True(CompiledExpression.Parse("x == y").EvaluateBool(Values(("x", B(true)), ("y", B(true)))));
        Assert.True(CompiledExpression.Parse("x != y").EvaluateBool(Values(("x", B(true)), ("y", B(false)))));
    }

    [Fact]
    public void EvaluateBool_BareBooleanParameter_ReturnsItsValue()
    {
        var expression = CompiledExpression.Parse("use_stop");

        Assert.True(expression.EvaluateBool(Values(("use_stop", B(true)))));
        Assert.False(expression.EvaluateBool(Values(("use_stop", B(false)))));
    }

    [Theory]
    [InlineData("max_drawdown <= 0.25 and trades >= 30", 0.2, 30, true)]
    [InlineData("max_drawdown <= 0.25 and trades >= 30", 0.3, 30, false)]
    [InlineData("max_drawdown <= 0.25 and trades >= 30", 0.2, 29, false)]
    [InlineData("max_drawdown > 0.5 or trades < 10", 0.2, 5, true)]
    [InlineData("not (max_drawdown > 0.5 or trades < 10)", 0.2, 5, false)]
    public void EvaluateBool_PerformanceConstraint_MatchesHandResult(string text, double drawdown, double trades, bool expected)
    {
        var values = Values(("max_drawdown", N(drawdown)), ("trades", N(trades)));

        Assert.Equal(expected, CompiledExpression.Parse(text).EvaluateBool(values));
    }

    [Fact]
    public void EvaluateNumber_CustomMetric_MatchesHandResult()
    {
        var values = Values(("sharpe_ratio", N(1.5)), ("max_drawdown", N(0.2)));

        Assert.Equal(1.4, CompiledExpression.Parse("sharpe_ratio - 0.5 * max_drawdown").EvaluateNumber(values), 12);
    }

    [Theory]
    [InlineData("1 / 0", double.PositiveInfinity)]
    [InlineData("-1 / 0", double.NegativeInfinity)]
    [InlineData("0 / 0", double.NaN)]
    [InlineData("sqrt(-1)", double.NaN)]
    [InlineData("log(0)", double.NegativeInfinity)]
    public void EvaluateNumber_IeeeEdgeCases_FollowIeeeInsteadOfThrowing(string text, double expected)
    {
        Assert.Equal(expected, CompiledExpression.Parse(text).EvaluateNumber(Values()));
    }

    [Theory]
    [InlineData("x < 1")]
    [InlineData("x >= 1")]
    [InlineData("x == x")]
    [InlineData("x != 1")]
    [InlineData("x != x")]
    [InlineData("x == y")]
    [InlineData("x != y")]
    public void EvaluateBool_NaNOperand_ComparesFalse(string text)
    {
        var values = Values(("x", N(double.NaN)), ("y", N(double.NaN)));

        Assert.False(CompiledExpression.Parse(text).EvaluateBool(values));
    }

    [Theory]
    [InlineData("false and x > 1", false)]
    [InlineData("true or x > 1", true)]
    [InlineData("1 > 2 and sqrt(x) > 1", false)]
    public void EvaluateBool_ShortCircuit_SkipsRightOperand(string text, bool expected)
    {
        // x holds a string, so evaluating the right operand would be a type error.
        Assert.Equal(expected, CompiledExpression.Parse(text).EvaluateBool(Values(("x", S("oops")))));
    }

    [Theory]
    [InlineData("x + 1", "expected a number but got a boolean at 0")]
    [InlineData("true and x > 1", "expected a number but got a boolean at 9")]
    [InlineData("not y", "expected a boolean but got a number at 4")]
    [InlineData("x == 'ema'", "expected a string but got a boolean at 0")]
    [InlineData("y == x", "expected a number but got a boolean at 5")]
    [InlineData("x", "expected a number but got a boolean at 0")]
    public void EvaluateNumber_WrongParameterKind_ThrowsTypeErrorAtName(string text, string message)
    {
        var values = Values(("x", B(true)), ("y", N(1)));
        var expression = CompiledExpression.Parse(text);

        var error = Assert.Throws<ExpressionException>(() =>
        {
            if (expression.ResultType == ExpressionType.Boolean)
            {
                expression.EvaluateBool(values);
            }
            else
            {
                expression.EvaluateNumber(values);
            }
        });

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void EvaluateNumber_UnsetSlot_ThrowsUnsetValueError()
    {
        var bound = CompiledExpression.Parse("a * 2").Bind(_ => 0);

        var error = Assert.Throws<ExpressionException>(() => bound.EvaluateNumber(new ExpressionValue[1]));

        Assert.Equal("expected a number but got an unset value at 0", error.Message);
    }

    [Fact]
    public void EvaluateBool_UnsetSlotInNameEquality_ThrowsUnsetValueError()
    {
        var bound = CompiledExpression.Parse("x == y").Bind(name => name == "x" ? 0 : 1);

        var error = Assert.Throws<ExpressionException>(() => bound.EvaluateBool([ExpressionValue.Number(1), default]));

        Assert.Equal("expected a value but got an unset value at 5", error.Message);
    }

    [Theory]
    [InlineData("1 + 2", "expected a boolean but got a number at 0")]
    [InlineData("  'ema'", "expected a boolean but got a string at 2")]
    public void EvaluateBool_NonBooleanExpression_ThrowsTypeError(string text, string message)
    {
        var error = Assert.Throws<ExpressionException>(() => CompiledExpression.Parse(text).EvaluateBool(Values()));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void EvaluateBool_BoundExpression_DoesNotAllocate()
    {
        var expression = CompiledExpression.Parse("ma.kind == 'ema' and ma.fast < ma.slow and max(ma.fast, 2) ^ 2 / 3 >= -1 or x == y");
        var bound = expression.Bind(name => expression.Names.ToList().IndexOf(name));
        var slots = new[] { S("ema"), N(5), N(20), N(1), N(2) };
        Assert.True(bound.EvaluateBool(slots));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var trueCount = 0;
        for (var i = 0; i < 10_000; i++)
        {
            trueCount += bound.EvaluateBool(slots) ? 1 : 0;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(10_000, trueCount);
    }
}
