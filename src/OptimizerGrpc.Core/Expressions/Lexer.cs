using System.Globalization;

namespace OptimizerGrpc.Core.Expressions;

/// <summary>
/// Turns expression text into tokens on demand. It only ever looks at the first
/// <see cref="CompiledExpression.MaxLength"/> characters, so hostile input costs bounded work, and it
/// reports "too long" only when reading reaches that limit: errors come out in reading order.
/// </summary>
internal sealed class Lexer
{
    private readonly string _text;
    private readonly int _limit;
    private readonly bool _truncated;
    private int _pos;

    public Lexer(string text)
    {
        _text = text;
        _limit = Math.Min(text.Length, CompiledExpression.MaxLength);
        _truncated = text.Length > CompiledExpression.MaxLength;
    }

    public Token Next()
    {
        while (_pos < _limit && char.IsWhiteSpace(_text[_pos]))
        {
            _pos++;
        }

        var start = _pos;
        if (_pos >= _limit)
        {
            ThrowIfTruncated();
            return new Token(TokenKind.End, _limit, 0);
        }

        var token = Scan(_text[_pos], start);
        _pos = start + token.Length;
        // A token that touches the limit may have been cut short; the text is too long either way.
        if (_pos >= _limit)
        {
            ThrowIfTruncated();
        }

        return token;
    }

    /// <summary>The source text of a token, shortened for error messages.</summary>
    public string Describe(Token token)
    {
        if (token.Kind == TokenKind.End)
        {
            return "end of expression";
        }

        var text = _text.Substring(token.Start, Math.Min(token.Length, 24));
        return token.Length > 24 ? $"'{text}...'" : $"'{text}'";
    }

    private Token Scan(char c, int start)
    {
        if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(Peek(start + 1))))
        {
            return ScanNumber(start);
        }

        if (char.IsAsciiLetter(c) || c == '_')
        {
            return ScanName(start);
        }

        if (c is '\'' or '"')
        {
            // No escapes: a value containing one quote style can be written with the other.
            var close = _text.IndexOf(c, start + 1, _limit - start - 1);
            if (close < 0)
            {
                ThrowIfTruncated();
                throw new ExpressionException("unterminated string", start);
            }

            return new Token(TokenKind.String, start, close - start + 1, Text: _text[(start + 1)..close]);
        }

        var next = Peek(start + 1);
        return c switch
        {
            '+' => new Token(TokenKind.Plus, start, 1),
            '-' => new Token(TokenKind.Minus, start, 1),
            '*' => new Token(TokenKind.Star, start, 1),
            '/' => new Token(TokenKind.Slash, start, 1),
            '^' => new Token(TokenKind.Caret, start, 1),
            '(' => new Token(TokenKind.LeftParen, start, 1),
            ')' => new Token(TokenKind.RightParen, start, 1),
            ',' => new Token(TokenKind.Comma, start, 1),
            '<' => next == '=' ? new Token(TokenKind.LessEqual, start, 2) : new Token(TokenKind.Less, start, 1),
            '>' => next == '=' ? new Token(TokenKind.GreaterEqual, start, 2) : new Token(TokenKind.Greater, start, 1),
            '!' => next == '=' ? new Token(TokenKind.NotEqual, start, 2) : new Token(TokenKind.Not, start, 1),
            '=' when next == '=' => new Token(TokenKind.Equal, start, 2),
            '=' => throw new ExpressionException("unexpected '=' (use '==' to compare)", start),
            '&' when next == '&' => new Token(TokenKind.And, start, 2),
            '|' when next == '|' => new Token(TokenKind.Or, start, 2),
            _ => throw new ExpressionException($"unexpected character {Quote(c)}", start),
        };
    }

    private Token ScanNumber(int start)
    {
        var end = SkipDigits(start);
        if (Peek(end) == '.' && char.IsAsciiDigit(Peek(end + 1)))
        {
            end = SkipDigits(end + 1);
        }

        if (Peek(end) is 'e' or 'E')
        {
            var exponent = end + 1;
            if (Peek(exponent) is '+' or '-')
            {
                exponent++;
            }

            if (!char.IsAsciiDigit(Peek(exponent)))
            {
                ThrowIfTruncated();
                throw new ExpressionException("malformed number exponent", start);
            }

            end = SkipDigits(exponent);
        }

        var value = double.Parse(_text.AsSpan(start, end - start), NumberStyles.Float, CultureInfo.InvariantCulture);
        if (!double.IsFinite(value))
        {
            throw new ExpressionException("number is too large", start);
        }

        return new Token(TokenKind.Number, start, end - start, value);
    }

    private Token ScanName(int start)
    {
        var end = start + 1;
        while (true)
        {
            var c = Peek(end);
            // A dot belongs to the name only between name characters: "ma.fast_window" is one name.
            if (IsNameChar(c) || (c == '.' && IsNameChar(Peek(end + 1))))
            {
                end++;
            }
            else
            {
                break;
            }
        }

        var name = _text[start..end];
        var kind = name switch
        {
            "true" => TokenKind.True,
            "false" => TokenKind.False,
            "and" => TokenKind.And,
            "or" => TokenKind.Or,
            "not" => TokenKind.Not,
            _ => TokenKind.Name,
        };
        return new Token(kind, start, end - start, Text: name);
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private int SkipDigits(int i)
    {
        while (char.IsAsciiDigit(Peek(i)))
        {
            i++;
        }

        return i;
    }

    private char Peek(int i) => i < _limit ? _text[i] : '\0';

    private void ThrowIfTruncated()
    {
        if (_truncated)
        {
            throw new ExpressionException(
                $"expression is longer than {CompiledExpression.MaxLength} characters", CompiledExpression.MaxLength);
        }
    }

    private static string Quote(char c) =>
        char.IsControl(c) || char.IsSurrogate(c) || char.IsWhiteSpace(c)
            ? $"U+{(int)c:X4}"
            : $"'{c}'";
}
