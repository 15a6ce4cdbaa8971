using System.Globalization;
using FsCheck;
using FsCheck.Fluent;

namespace OptimizerGrpc.Core.Tests.Expressions;

/// <summary>
/// An independent model of the arithmetic part of the language, used as the oracle for the
/// print-parse-evaluate round trip. It prints with the fewest parentheses the grammar allows, so the
/// round trip exercises precedence and associativity rather than just parentheses.
/// </summary>
internal abstract record ArithmeticAst
{
    public static readonly string[] Variables = ["x", "ma.fast", "ma.slow_window"];

    // Binding powers mirror the spec: + - < * / < unary - < ^ < primary.
    private const int AdditivePower = 5;
    private const int MultiplicativePower = 6;
    private const int NegatePower = 7;
    private const int PowerPower = 8;
    private const int PrimaryPower = 9;

    public abstract double Evaluate(double[] variables);

    public string Print() => Print(this).Text;

    public static Gen<ArithmeticAst> Generator() => Gen.Sized(Tree);

    private static Gen<ArithmeticAst> Tree(int size)
    {
        var literal = Gen.Elements(0.0, 1, 2, 3, 0.5, 10, 1e-3, 2.5e10, 123.456, 1e300)
            .Select(v => (ArithmeticAst)new Literal(v));
        var variable = Gen.Choose(0, Variables.Length - 1).Select(i => (ArithmeticAst)new Variable(i));
        if (size <= 1)
        {
            return Gen.OneOf(literal, variable);
        }

        // Children get half the size, so depth stays near log2(size), well inside the nesting limit.
        var child = Tree(size / 2);
        var binary = from op in Gen.Elements('+', '-', '*', '/', '^')
                     from left in child
                     from right in child
                     select (ArithmeticAst)new Binary(op, left, right);
        var call = from name in Gen.Elements("abs", "sqrt", "log", "min", "max")
                   from count in name is "min" or "max" ? Gen.Choose(1, 3) : Gen.Constant(1)
                   from args in Gen.ArrayOf(child, count)
                   select (ArithmeticAst)new Call(name, args);
        return Gen.Frequency(
            (2, literal),
            (2, variable),
            (6, binary),
            (2, child.Select(c => (ArithmeticAst)new Negate(c))),
            (1, child.Select(c => (ArithmeticAst)new Parenthesised(c))),
            (2, call));
    }

    private static (string Text, int Power) Print(ArithmeticAst node) => node switch
    {
        Literal l => (l.Value.ToString("R", CultureInfo.InvariantCulture), PrimaryPower),
        Variable v => (Variables[v.Index], PrimaryPower),
        Parenthesised p => ($"({Print(p.Inner).Text})", PrimaryPower),
        Call c => ($"{c.Name}({string.Join(", ", c.Arguments.Select(a => Print(a).Text))})", PrimaryPower),
        // A prefix minus parses its operand at its own power, so '-' before '^' needs no parentheses.
        Negate n => ($"-{Wrap(n.Operand, NegatePower - 1)}", NegatePower),
        Binary b => PrintBinary(b),
        _ => throw new ArgumentOutOfRangeException(nameof(node)),
    };

    private static (string Text, int Power) PrintBinary(Binary b)
    {
        var power = b.Op switch { '+' or '-' => AdditivePower, '*' or '/' => MultiplicativePower, _ => PowerPower };
        var rightAssociative = b.Op == '^';
        // Left operand: parenthesise if it binds looser, or equally on a right-associative operator.
        var left = Wrap(b.Left, rightAssociative ? power : power - 1);
        // Right operand: a prefix minus is always safe there; otherwise the mirror rule.
        var right = b.Right is Negate ? Print(b.Right).Text : Wrap(b.Right, rightAssociative ? power - 1 : power);
        return ($"{left} {b.Op} {right}", power);
    }

    /// <summary>Prints a child, in parentheses when its power is at most <paramref name="atMost"/>.</summary>
    private static string Wrap(ArithmeticAst child, int atMost)
    {
        var (text, power) = Print(child);
        return power <= atMost ? $"({text})" : text;
    }

    public sealed record Literal(double Value) : ArithmeticAst
    {
        public override double Evaluate(double[] variables) => Value;
    }

    public sealed record Variable(int Index) : ArithmeticAst
    {
        public override double Evaluate(double[] variables) => variables[Index];
    }

    public sealed record Parenthesised(ArithmeticAst Inner) : ArithmeticAst
    {
        public override double Evaluate(double[] variables) => Inner.Evaluate(variables);
    }

    public sealed record Negate(ArithmeticAst Operand) : ArithmeticAst
    {
        public override double Evaluate(double[] variables) => -Operand.Evaluate(variables);
    }

    public sealed record Binary(char Op, ArithmeticAst Left, ArithmeticAst Right) : ArithmeticAst
    {
        public override double Evaluate(double[] variables)
        {
            var (a, b) = (Left.Evaluate(variables), Right.Evaluate(variables));
            return Op switch
            {
                '+' => a + b,
                '-' => a - b,
                '*' => a * b,
                '/' => a / b,
                _ => Math.Pow(a, b),
            };
        }
    }

    public sealed record Call(string Name, ArithmeticAst[] Arguments) : ArithmeticAst
    {
        public override double Evaluate(double[] variables)
        {
            var values = Arguments.Select(a => a.Evaluate(variables)).ToArray();
            return Name switch
            {
                "abs" => Math.Abs(values[0]),
                "sqrt" => Math.Sqrt(values[0]),
                "log" => Math.Log(values[0]),
                // min/max fold left to right, as a reader would expect of min(a, b, c).
                "min" => values.Aggregate(Math.Min),
                _ => values.Aggregate(Math.Max),
            };
        }
    }
}
