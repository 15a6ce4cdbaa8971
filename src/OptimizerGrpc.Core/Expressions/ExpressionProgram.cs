namespace OptimizerGrpc.Core.Expressions;

/// <summary>
/// The output of the parser: bytecode whose loads refer to names by index into <see cref="Names"/>.
/// <see cref="NamePositions"/> holds where each name is first used, for "unknown parameter" errors.
/// </summary>
internal sealed record ExpressionProgram(
    Instruction[] Code,
    string[] Strings,
    string[] Names,
    int[] NamePositions,
    int MaxStack,
    ExpressionType ResultType,
    int ResultPosition);

/// <summary>A parsed subexpression: its static type, where it starts in the text and in the code.</summary>
internal readonly record struct Operand(ExpressionType Type, int Position, int CodeStart);
