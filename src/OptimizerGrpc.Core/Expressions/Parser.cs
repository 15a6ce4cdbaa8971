using static OptimizerGrpc.Core.Studies.UserText;

namespace OptimizerGrpc.Core.Expressions;

/// <summary>
/// Precedence climbing (Pratt, "Top down operator precedence", POPL 1973; Clarke 1986): one loop
/// handles every binary operator by binding power, prefix operators parse their operand at their own
/// power. It emits bytecode directly, so a long flat chain such as 1+1+...+1 never deepens the C#
/// stack; only parentheses, calls, prefix operators and '^' recurse, and they count towards
/// <see cref="CompiledExpression.MaxDepth"/>.
/// </summary>
internal sealed class Parser
{
    // Binding powers, loosest first. 0 means "not a binary operator".
    private const int OrPower = 1;
    private const int AndPower = 2;
    private const int NotPower = 3;
    private const int ComparisonPower = 4;
    private const int AdditivePower = 5;
    private const int MultiplicativePower = 6;
    private const int NegatePower = 7;
    private const int PowerPower = 8;

    private readonly Lexer _lexer;
    private readonly ProgramBuilder _out = new();
    private Token _token;
    private int _nesting;

    private Parser(string text)
    {
        _lexer = new Lexer(text);
        _token = _lexer.Next();
    }

    public static ExpressionProgram Parse(string text)
    {
        var parser = new Parser(text);
        var result = parser.ParseExpression(0);
        if (parser._token.Kind != TokenKind.End)
        {
            throw parser.Unexpected();
        }

        return parser._out.Build(result);
    }

    private Operand ParseExpression(int minPower)
    {
        var left = ParsePrefix();
        while (true)
        {
            var op = _token;
            var power = BinaryPower(op.Kind);
            if (power == 0 || power < minPower)
            {
                return left;
            }

            Advance();
            if (op.Kind is TokenKind.And or TokenKind.Or)
            {
                var jump = _out.Jump(op.Kind == TokenKind.And ? OpCode.JumpIfFalseOrPop : OpCode.JumpIfTrueOrPop, left);
                left = _out.PatchJump(jump, left, ParseExpression(power + 1));
            }
            else if (op.Kind == TokenKind.Caret)
            {
                // Right-associative: the right operand may itself contain '^' (2^3^2 = 2^9).
                Nest(op.Start);
                left = _out.Binary(op.Kind, left, ParseExpression(PowerPower));
                _nesting--;
            }
            else
            {
                left = _out.Binary(op.Kind, left, ParseExpression(power + 1));
                if (power == ComparisonPower && BinaryPower(_token.Kind) == ComparisonPower)
                {
                    throw new ExpressionException("comparisons cannot be chained; combine them with 'and'", _token.Start);
                }
            }
        }
    }

    private Operand ParsePrefix()
    {
        var token = _token;
        if (token.Kind is TokenKind.Minus or TokenKind.Not)
        {
            Advance();
            Nest(token.Start);
            var result = token.Kind == TokenKind.Minus
                ? _out.Unary(OpCode.Negate, ExpressionType.Number, ParseExpression(NegatePower), token.Start)
                : _out.Unary(OpCode.Not, ExpressionType.Boolean, ParseExpression(NotPower), token.Start);
            _nesting--;
            return result;
        }

        return ParsePrimary();
    }

    private Operand ParsePrimary()
    {
        var token = _token;
        switch (token.Kind)
        {
            case TokenKind.Number:
                Advance();
                return _out.Constant(ExpressionType.Number, token.Value, token.Start);
            case TokenKind.True or TokenKind.False:
                Advance();
                return _out.Constant(ExpressionType.Boolean, token.Kind == TokenKind.True ? 1 : 0, token.Start);
            case TokenKind.String:
                Advance();
                return _out.String(token.Text!, token.Start);
            case TokenKind.Name:
                Advance();
                return _token.Kind == TokenKind.LeftParen ? ParseCall(token) : _out.Name(token.Text!, token.Start);
            case TokenKind.LeftParen:
                Advance();
                Nest(token.Start);
                var inner = ParseExpression(0);
                ExpectClose(token);
                _nesting--;
                // Point type errors at the '(' so "1 + (true)" reports the parenthesised operand.
                return inner with { Position = token.Start };
            default:
                throw Unexpected();
        }
    }

    private Operand ParseCall(Token name)
    {
        if (!Functions.TryFind(name.Text!, out var op, out var variadic))
        {
            throw new ExpressionException($"unknown function {Quote(name.Text)}", name.Start);
        }

        var open = _token;
        Advance();
        Nest(open.Start);
        var count = 0;
        var result = default(Operand);
        if (_token.Kind != TokenKind.RightParen)
        {
            while (true)
            {
                var argument = ParseExpression(0);
                _out.Require(argument, ExpressionType.Number);
                count++;
                // min/max fold pairwise as arguments arrive, so the stack stays shallow however many there are.
                result = count == 1 || !variadic
                    ? argument
                    : _out.Combine(op, ExpressionType.Number, ExpressionType.Number, result, argument);
                if (_token.Kind != TokenKind.Comma)
                {
                    break;
                }

                Advance();
            }
        }

        ExpectClose(open);
        _nesting--;
        if (variadic ? count < 1 : count != 1)
        {
            throw new ExpressionException(Functions.ArityError(name.Text!, variadic, count), name.Start);
        }

        if (!variadic)
        {
            result = _out.Unary(op, ExpressionType.Number, result, name.Start);
        }

        return result with { Position = name.Start };
    }

    private void ExpectClose(Token open)
    {
        if (_token.Kind == TokenKind.RightParen)
        {
            Advance();
            return;
        }

        throw _token.Kind == TokenKind.End ? new ExpressionException("unclosed '('", open.Start) : Unexpected();
    }

    private void Nest(int position)
    {
        if (++_nesting > CompiledExpression.MaxDepth)
        {
            throw new ExpressionException($"expression nests deeper than {CompiledExpression.MaxDepth}", position);
        }
    }

    private void Advance() => _token = _lexer.Next();

    private ExpressionException Unexpected() => new($"unexpected {_lexer.Describe(_token)}", _token.Start);

    private static int BinaryPower(TokenKind kind) => kind switch
    {
        TokenKind.Or => OrPower,
        TokenKind.And => AndPower,
        TokenKind.Less or TokenKind.LessEqual or TokenKind.Greater or TokenKind.GreaterEqual
            or TokenKind.Equal or TokenKind.NotEqual => ComparisonPower,
        TokenKind.Plus or TokenKind.Minus => AdditivePower,
        TokenKind.Star or TokenKind.Slash => MultiplicativePower,
        TokenKind.Caret => PowerPower,
        _ => 0,
    };
}
