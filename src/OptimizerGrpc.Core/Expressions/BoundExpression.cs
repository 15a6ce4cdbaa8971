namespace OptimizerGrpc.Core.Expressions;

/// <summary>
/// An expression whose names are bound to slot indices. Evaluation is a loop over bytecode with the
/// stack on the C# stack (stackalloc): no allocation, no dictionary lookups, and safe to call from
/// several threads at once.
/// </summary>
public sealed class BoundExpression
{
    private readonly Instruction[] _code;
    private readonly string[] _strings;
    private readonly int _maxStack;
    private readonly int _slotCount;
    private readonly ExpressionType _resultType;
    private readonly int _resultPosition;

    private BoundExpression(Instruction[] code, ExpressionProgram program, int slotCount)
    {
        _code = code;
        _strings = program.Strings;
        _maxStack = program.MaxStack;
        _slotCount = slotCount;
        _resultType = program.ResultType;
        _resultPosition = program.ResultPosition;
    }

    /// <summary>Whether the expression yields a number, a boolean, or (for a bare name) whatever the slot holds.</summary>
    public ExpressionType ResultType => _resultType;

    public bool EvaluateBool(ReadOnlySpan<ExpressionValue> slots) => Evaluate(slots, ExpressionType.Boolean) != 0;

    public double EvaluateNumber(ReadOnlySpan<ExpressionValue> slots) => Evaluate(slots, ExpressionType.Number);

    /// <summary>Rewrites the loads of <paramref name="program"/> from name indices to slot indices.</summary>
    internal static BoundExpression Create(ExpressionProgram program, int[] slotOfName)
    {
        var code = program.Code.ToArray();
        for (var i = 0; i < code.Length; i++)
        {
            if (code[i].IsLoad)
            {
                code[i] = code[i] with { Operand = slotOfName[code[i].Operand] };
            }
        }

        var slotCount = slotOfName.Length == 0 ? 0 : slotOfName.Max() + 1;
        return new BoundExpression(code, program, slotCount);
    }

    private double Evaluate(ReadOnlySpan<ExpressionValue> slots, ExpressionType wanted)
    {
        if (slots.Length < _slotCount)
        {
            throw new ArgumentException($"the expression reads slot {_slotCount - 1} but only {slots.Length} slots were given", nameof(slots));
        }

        if (_resultType == ExpressionType.Unknown)
        {
            // A bare name: the program is one load, and its value must be of the wanted kind.
            return Load(slots, _code[0], wanted);
        }

        if (_resultType != wanted)
        {
            throw ExpressionException.TypeMismatch(wanted, _resultType, _resultPosition);
        }

        return Run(slots);
    }

    private double Run(ReadOnlySpan<ExpressionValue> slots)
    {
        // Booleans are 1/0; strings are references: slot index >= 0, or -(string table index + 1).
        // _maxStack stays small: between two nesting levels at most one operand waits per binding
        // power, so it is under 10 * (MaxDepth + 1) values however long the text.
        Span<double> stack = stackalloc double[_maxStack];
        var sp = 0;
        var code = _code;
        for (var pc = 0; pc < code.Length; pc++)
        {
            var ins = code[pc];
            switch (ins.Op)
            {
                case OpCode.PushConstant: stack[sp++] = ins.Value; break;
                case OpCode.PushString: stack[sp++] = -(ins.Operand + 1); break;
                case OpCode.LoadNumber: stack[sp++] = Load(slots, ins, ExpressionType.Number); break;
                case OpCode.LoadBoolean: stack[sp++] = Load(slots, ins, ExpressionType.Boolean); break;
                case OpCode.LoadString: Load(slots, ins, ExpressionType.String); stack[sp++] = ins.Operand; break;
                case OpCode.LoadAny:
                    if (slots[ins.Operand].Kind == ExpressionType.Unknown)
                    {
                        throw new ExpressionException("expected a value but got an unset value", ins.Position);
                    }

                    stack[sp++] = ins.Operand;
                    break;
                case OpCode.Negate: stack[sp - 1] = -stack[sp - 1]; break;
                case OpCode.Not: stack[sp - 1] = stack[sp - 1] == 0 ? 1 : 0; break;
                case OpCode.Abs: stack[sp - 1] = Math.Abs(stack[sp - 1]); break;
                case OpCode.Sqrt: stack[sp - 1] = Math.Sqrt(stack[sp - 1]); break;
                case OpCode.Log: stack[sp - 1] = Math.Log(stack[sp - 1]); break;
                case OpCode.JumpIfFalseOrPop:
                    if (stack[sp - 1] == 0)
                    {
                        pc = ins.Operand - 1;
                    }
                    else
                    {
                        sp--;
                    }

                    break;
                case OpCode.JumpIfTrueOrPop:
                    if (stack[sp - 1] != 0)
                    {
                        pc = ins.Operand - 1;
                    }
                    else
                    {
                        sp--;
                    }

                    break;
                default:
                    sp--;
                    stack[sp - 1] = Binary(ins, stack[sp - 1], stack[sp], slots);
                    break;
            }
        }

        return stack[0];
    }

    private double Binary(Instruction ins, double a, double b, ReadOnlySpan<ExpressionValue> slots) => ins.Op switch
    {
        OpCode.Add => a + b,
        OpCode.Subtract => a - b,
        OpCode.Multiply => a * b,
        OpCode.Divide => a / b,
        OpCode.Power => Math.Pow(a, b),
        OpCode.Min => Math.Min(a, b),
        OpCode.Max => Math.Max(a, b),
        OpCode.Less => Bool(a < b),
        OpCode.LessEqual => Bool(a <= b),
        OpCode.Greater => Bool(a > b),
        OpCode.GreaterEqual => Bool(a >= b),
        OpCode.EqualNumber or OpCode.EqualBoolean => Bool(a == b),
        // Not "a != b": every comparison with NaN is false, so a NaN metric fails "x != 0" too.
        OpCode.NotEqualNumber => Bool(a < b || a > b),
        OpCode.NotEqualBoolean => Bool(a != b),
        OpCode.EqualString => Bool(string.Equals(Text(a, slots), Text(b, slots), StringComparison.Ordinal)),
        OpCode.NotEqualString => Bool(!string.Equals(Text(a, slots), Text(b, slots), StringComparison.Ordinal)),
        OpCode.EqualAny => Bool(EqualValues(slots[(int)a], slots[(int)b], ins.Position, equal: true)),
        OpCode.NotEqualAny => Bool(EqualValues(slots[(int)a], slots[(int)b], ins.Position, equal: false)),
        _ => throw new InvalidOperationException($"bad opcode {ins.Op}"),
    };

    private static bool EqualValues(ExpressionValue left, ExpressionValue right, int position, bool equal)
    {
        if (left.Kind != right.Kind)
        {
            throw ExpressionException.TypeMismatch(left.Kind, right.Kind, position);
        }

        return left.Kind switch
        {
            ExpressionType.String => string.Equals(left.RawText, right.RawText, StringComparison.Ordinal) == equal,
            ExpressionType.Number when equal => left.RawNumber == right.RawNumber,
            ExpressionType.Number => left.RawNumber < right.RawNumber || left.RawNumber > right.RawNumber,
            _ => (left.RawNumber == right.RawNumber) == equal,
        };
    }

    private static double Load(ReadOnlySpan<ExpressionValue> slots, Instruction ins, ExpressionType wanted)
    {
        var value = slots[ins.Operand];
        return value.Kind == wanted ? value.RawNumber : throw ExpressionException.TypeMismatch(wanted, value.Kind, ins.Position);
    }

    private string? Text(double reference, ReadOnlySpan<ExpressionValue> slots) =>
        reference < 0 ? _strings[(int)-reference - 1] : slots[(int)reference].RawText;

    private static double Bool(bool value) => value ? 1 : 0;
}
