namespace OptimizerGrpc.Core.Expressions;

/// <summary>
/// Collects bytecode as the parser goes (postfix order, no syntax tree) and checks types statically.
/// A name's type is unknown at parse time; since such an operand is always a single load instruction,
/// the operator that consumes it patches that load into a typed one, so most type checks happen at
/// parse time and the rest happen once, at the load, during evaluation.
/// </summary>
internal sealed class ProgramBuilder
{
    private readonly List<Instruction> _code = [];
    private readonly List<string> _strings = [];
    private readonly List<string> _names = [];
    private readonly List<int> _namePositions = [];
    private int _stack;
    private int _maxStack;

    public Operand Constant(ExpressionType type, double value, int position)
    {
        Emit(new Instruction(OpCode.PushConstant, Value: value));
        return new Operand(type, position, _code.Count - 1);
    }

    public Operand String(string value, int position)
    {
        Emit(new Instruction(OpCode.PushString, _strings.Count));
        _strings.Add(value);
        return new Operand(ExpressionType.String, position, _code.Count - 1);
    }

    public Operand Name(string name, int position)
    {
        var index = _names.IndexOf(name);
        if (index < 0)
        {
            index = _names.Count;
            _names.Add(name);
            _namePositions.Add(position);
        }

        Emit(new Instruction(OpCode.LoadAny, index, Position: position));
        return new Operand(ExpressionType.Unknown, position, _code.Count - 1);
    }

    /// <summary>Applies a prefix operator or a one-argument function; its operand and result have type <paramref name="type"/>.</summary>
    public Operand Unary(OpCode op, ExpressionType type, Operand operand, int position)
    {
        Require(operand, type);
        Emit(new Instruction(op, Position: position));
        return new Operand(type, position, operand.CodeStart);
    }

    public Operand Binary(TokenKind kind, Operand left, Operand right)
    {
        if (kind is TokenKind.Equal or TokenKind.NotEqual)
        {
            return Equality(kind == TokenKind.Equal, left, right);
        }

        var (op, result) = kind switch
        {
            TokenKind.Plus => (OpCode.Add, ExpressionType.Number),
            TokenKind.Minus => (OpCode.Subtract, ExpressionType.Number),
            TokenKind.Star => (OpCode.Multiply, ExpressionType.Number),
            TokenKind.Slash => (OpCode.Divide, ExpressionType.Number),
            TokenKind.Caret => (OpCode.Power, ExpressionType.Number),
            TokenKind.Less => (OpCode.Less, ExpressionType.Boolean),
            TokenKind.LessEqual => (OpCode.LessEqual, ExpressionType.Boolean),
            TokenKind.Greater => (OpCode.Greater, ExpressionType.Boolean),
            TokenKind.GreaterEqual => (OpCode.GreaterEqual, ExpressionType.Boolean),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a binary operator"),
        };
        return Combine(op, ExpressionType.Number, result, left, right);
    }

    /// <summary>Folds one more argument of min or max into the running result.</summary>
    public Operand Combine(OpCode op, ExpressionType operands, ExpressionType result, Operand left, Operand right)
    {
        Require(left, operands);
        Require(right, operands);
        Emit(new Instruction(op, Position: right.Position));
        return new Operand(result, left.Position, left.CodeStart);
    }

    /// <summary>Emits a short-circuit jump after a boolean left operand; returns its index for <see cref="PatchJump"/>.</summary>
    public int Jump(OpCode op, Operand left)
    {
        Require(left, ExpressionType.Boolean);
        Emit(new Instruction(op));
        return _code.Count - 1;
    }

    public Operand PatchJump(int jump, Operand left, Operand right)
    {
        Require(right, ExpressionType.Boolean);
        _code[jump] = _code[jump] with { Operand = _code.Count };
        return new Operand(ExpressionType.Boolean, left.Position, left.CodeStart);
    }

    /// <summary>Demands that an operand has a type: patches an untyped load, or fails on a known mismatch.</summary>
    public void Require(Operand operand, ExpressionType type)
    {
        if (operand.Type == ExpressionType.Unknown)
        {
            var load = _code[operand.CodeStart];
            var typed = type switch
            {
                ExpressionType.Number => OpCode.LoadNumber,
                ExpressionType.Boolean => OpCode.LoadBoolean,
                _ => OpCode.LoadString,
            };
            _code[operand.CodeStart] = load with { Op = typed };
        }
        else if (operand.Type != type)
        {
            throw ExpressionException.TypeMismatch(type, operand.Type, operand.Position);
        }
    }

    public ExpressionProgram Build(Operand result) => new(
        [.. _code], [.. _strings], [.. _names], [.. _namePositions], _maxStack, result.Type, result.Position);

    private Operand Equality(bool equal, Operand left, Operand right)
    {
        var type = left.Type != ExpressionType.Unknown ? left.Type : right.Type;
        if (type == ExpressionType.Unknown)
        {
            // Both sides are bare names: the kinds are compared when the values are known.
            Emit(new Instruction(equal ? OpCode.EqualAny : OpCode.NotEqualAny, Position: right.Position));
            return new Operand(ExpressionType.Boolean, left.Position, left.CodeStart);
        }

        var op = type switch
        {
            ExpressionType.Number => equal ? OpCode.EqualNumber : OpCode.NotEqualNumber,
            ExpressionType.Boolean => equal ? OpCode.EqualBoolean : OpCode.NotEqualBoolean,
            _ => equal ? OpCode.EqualString : OpCode.NotEqualString,
        };
        return Combine(op, type, ExpressionType.Boolean, left, right);
    }

    private void Emit(Instruction instruction)
    {
        _code.Add(instruction);
        _stack += instruction.StackEffect;
        _maxStack = Math.Max(_maxStack, _stack);
    }
}
