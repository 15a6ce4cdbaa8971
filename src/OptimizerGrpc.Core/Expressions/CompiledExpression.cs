using System.Collections.ObjectModel;
using static OptimizerGrpc.Core.Studies.UserText;

namespace OptimizerGrpc.Core.Expressions;

/// <summary>
/// A parsed and type-checked expression of the constraint and custom-metric language, e.g.
/// <c>ma.fast_window &lt; ma.slow_window</c> or <c>sharpe_ratio - 0.5 * max_drawdown</c>. Parse once,
/// <see cref="Bind"/> once per slot layout, then evaluate the <see cref="BoundExpression"/> on the hot path.
/// </summary>
public sealed class CompiledExpression
{
    /// <summary>Longest accepted text, in characters.</summary>
    public const int MaxLength = 4096;

    /// <summary>Deepest accepted nesting of parentheses, calls, prefix operators and '^' right operands.</summary>
    public const int MaxDepth = 64;

    private readonly ExpressionProgram _program;
    private readonly BoundExpression _byName;

    private CompiledExpression(string text, ExpressionProgram program)
    {
        Text = text;
        _program = program;
        Names = new ReadOnlyCollection<string>(program.Names);
        _byName = BoundExpression.Create(program, [.. Enumerable.Range(0, program.Names.Length)]);
    }

    public string Text { get; }

    /// <summary>The distinct parameter or metric names the expression reads, in order of first use.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The static result type; <see cref="ExpressionType.Unknown"/> when the expression is a bare name.</summary>
    public ExpressionType ResultType => _program.ResultType;

    /// <exception cref="ExpressionException">The text is not a well-formed, well-typed expression.</exception>
    public static CompiledExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new CompiledExpression(text, Parser.Parse(text));
    }

    /// <summary>
    /// Resolves every name to a slot once. <paramref name="slotOf"/> returns -1 (any negative) for a name
    /// it does not know, which fails with "unknown parameter 'name' at position".
    /// </summary>
    public BoundExpression Bind(Func<string, int> slotOf)
    {
        ArgumentNullException.ThrowIfNull(slotOf);
        var slots = new int[_program.Names.Length];
        for (var i = 0; i < slots.Length; i++)
        {
            slots[i] = slotOf(_program.Names[i]);
            if (slots[i] < 0)
            {
                throw UnknownName(i);
            }
        }

        return BoundExpression.Create(_program, slots);
    }

    /// <summary>Evaluates with values looked up by name; for cold paths, as it allocates.</summary>
    public bool EvaluateBool(IReadOnlyDictionary<string, ExpressionValue> values) => _byName.EvaluateBool(Gather(values));

    /// <summary>Evaluates with values looked up by name; for cold paths, as it allocates.</summary>
    public double EvaluateNumber(IReadOnlyDictionary<string, ExpressionValue> values) => _byName.EvaluateNumber(Gather(values));

    public override string ToString() => Text;

    private ExpressionValue[] Gather(IReadOnlyDictionary<string, ExpressionValue> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var slots = new ExpressionValue[_program.Names.Length];
        for (var i = 0; i < slots.Length; i++)
        {
            if (!values.TryGetValue(_program.Names[i], out slots[i]))
            {
                throw UnknownName(i);
            }
        }

        return slots;
    }

    private ExpressionException UnknownName(int index) =>
        new($"unknown parameter {Quote(_program.Names[index])}", _program.NamePositions[index]);
}
