namespace OptimizerGrpc.Core.Expressions;

internal enum TokenKind
{
    End,
    Number,
    String,
    Name,
    True,
    False,
    And,
    Or,
    Not,
    Plus,
    Minus,
    Star,
    Slash,
    Caret,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    Equal,
    NotEqual,
    LeftParen,
    RightParen,
    Comma,
}

/// <summary>One lexeme. <see cref="Value"/> holds a number literal; <see cref="Text"/> a name or a string literal's contents.</summary>
internal readonly record struct Token(TokenKind Kind, int Start, int Length, double Value = 0, string? Text = null);
