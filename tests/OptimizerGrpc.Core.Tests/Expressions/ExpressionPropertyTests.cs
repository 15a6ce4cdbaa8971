using FsCheck;
using FsCheck.Fluent;
using OptimizerGrpc.Core.Expressions;

namespace OptimizerGrpc.Core.Tests.Expressions;

public sealed class ExpressionPropertyTests
{
    // Wall-clock guard against a hang, not a performance assertion: each check finishes in well under a second.
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    private static readonly Gen<double> AnyDouble = Gen.Frequency(
        (4, Gen.Elements(0.0, -0.0, 1, -1, 0.5, 2, 7.25, -3.5, 1e-9, 1e9)),
        (2, ArbMap.Default.GeneratorFor<double>()),
        (1, Gen.Elements(double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.MaxValue)));

    [Fact]
    public async Task EvaluateNumber_PrintedArithmeticAst_EqualsDirectEvaluation()
    {
        var cases = from ast in ArithmeticAst.Generator()
                    from values in Gen.ArrayOf(AnyDouble, ArithmeticAst.Variables.Length)
                    select (Ast: ast, Values: values);
        var property = Prop.ForAll(Arb.From(cases), c =>
        {
            var text = c.Ast.Print();
            var expression = CompiledExpression.Parse(text);
            var bound = expression.Bind(name => Array.IndexOf(ArithmeticAst.Variables, name));
            var slots = c.Values.Select(ExpressionValue.Number).ToArray();

            var expected = c.Ast.Evaluate(c.Values);
            var actual = bound.EvaluateNumber(slots);

            // double.Equals treats NaN as equal to NaN, which is what "same result" means here.
            return expected.Equals(actual).Label($"{text} => expected {expected:R}, got {actual:R}");
        });

        await Task.Run(() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000).WithEndSize(60), property))
            .WaitAsync(HangGuard);
    }

    [Fact]
    public async Task Parse_RandomText_ThrowsOnlyExpressionExceptionAndTerminates()
    {
        var property = Prop.ForAll(Arb.From(RandomText()), text =>
        {
            try
            {
                var expression = CompiledExpression.Parse(text);
                var bound = expression.Bind(name => expression.Names.ToList().IndexOf(name));
                // Give each name some kind of value; a wrong kind must surface as an ExpressionException.
                var slots = expression.Names
                    .Select((_, i) => (i % 3) switch
                    {
                        0 => ExpressionValue.Number(i),
                        1 => ExpressionValue.Boolean(true),
                        _ => ExpressionValue.String("s"),
                    })
                    .ToArray();
                TryEvaluate(() => bound.EvaluateBool(slots));
                TryEvaluate(() => bound.EvaluateNumber(slots));
            }
            catch (ExpressionException error)
            {
                Assert.InRange(error.Position, 0, CompiledExpression.MaxLength);
                Assert.EndsWith($" at {error.Position}", error.Message, StringComparison.Ordinal);
            }
        });

        await Task.Run(() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), property)).WaitAsync(HangGuard);
    }

    [Fact]
    public async Task Parse_DeeplyNestedParentheses_ThrowsDepthErrorNotStackOverflow()
    {
        var depths = Gen.Frequency((1, Gen.Constant(10_000)), (4, Gen.Choose(65, 10_000)));
        var property = Prop.ForAll(Arb.From(depths), depth =>
        {
            var text = new string('(', depth) + "x" + new string(')', depth);

            var error = Assert.Throws<ExpressionException>(() => CompiledExpression.Parse(text));

            Assert.Equal("expression nests deeper than 64 at 64", error.Message);
        });

        await RunOnSmallStack(() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), property));
    }

    [Fact]
    public async Task Parse_EveryPrecedenceLevelNestedRepeatedly_ThrowsDepthErrorNotStackOverflow()
    {
        // Each repetition opens every binding-power level once and nests 4 times (not, -, ^, parenthesis),
        // the deepest C# call chain per nesting level the parser can be driven into.
        var text = string.Concat(Enumerable.Repeat("a or b and not c < d + e * -f ^ (", 200));

        await RunOnSmallStack(() =>
        {
            var error = Assert.Throws<ExpressionException>(() => CompiledExpression.Parse(text));
            Assert.StartsWith("expression nests deeper than 64 at ", error.Message, StringComparison.Ordinal);
        });
    }

    /// <summary>Runs on a 256 KiB stack, a fraction of the default, to show the depth limit leaves ample headroom.</summary>
    private static async Task RunOnSmallStack(Action action)
    {
        var outcome = new TaskCompletionSource();
        var thread = new Thread(
            () =>
            {
                try
                {
                    action();
                    outcome.SetResult();
                }
                catch (Exception error)
                {
                    outcome.SetException(error);
                }
            },
            maxStackSize: 256 * 1024);
        thread.Start();

        await outcome.Task.WaitAsync(HangGuard);
    }

    private static void TryEvaluate(Action evaluate)
    {
        try
        {
            evaluate();
        }
        catch (ExpressionException)
        {
            // A type error is an acceptable outcome for random input.
        }
    }

    /// <summary>Any characters, up to 5000 of them: raw noise, or noise made of language fragments so parses get deep.</summary>
    private static Gen<string> RandomText()
    {
        var anyChar = Gen.Choose(0, char.MaxValue).Select(c => ((char)c).ToString());
        var fragment = Gen.Elements(
            "(", ")", "(", ")", ",", " ", "-", "+", "*", "/", "^", "<", "<=", ">", ">=", "==", "!=", "=", "!",
            "&&", "||", "&", "|", " and ", " or ", " not ", "true", "false", "x", "y", "a.b", "a.", ".5", "1",
            "2.5", "1e-3", "1e", "1e999", "'ema'", "\"q\"", "'", "\"", "abs(", "min(", "max(", "sqrt(", "log(",
            "foo(", "_z9");
        var piece = Gen.Frequency((1, anyChar), (4, fragment));
        var soup = from length in Gen.Choose(0, 5000)
                   from pieces in Gen.ArrayOf(piece, length)
                   select Truncate(string.Concat(pieces), length);
        var small = from length in Gen.Choose(0, 40)
                    from pieces in Gen.ArrayOf(piece, length)
                    select string.Concat(pieces);
        return Gen.Frequency((3, small), (1, soup));
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
