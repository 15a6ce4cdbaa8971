namespace OptimizerGrpc.Core.Expressions;

internal enum OpCode
{
    // Push one value. Constants carry it in Value; strings an index into the string table; loads a
    // name index (before binding) or a slot index (after).
    PushConstant,
    PushString,
    LoadAny,
    LoadNumber,
    LoadBoolean,
    LoadString,

    // Replace the top value.
    Negate,
    Not,
    Abs,
    Sqrt,
    Log,

    // Pop two values, push one.
    Add,
    Subtract,
    Multiply,
    Divide,
    Power,
    Min,
    Max,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    EqualNumber,
    NotEqualNumber,
    EqualBoolean,
    NotEqualBoolean,
    EqualString,
    NotEqualString,
    EqualAny,
    NotEqualAny,

    // Short-circuit 'and'/'or': if the top decides the result, jump to Operand keeping it;
    // otherwise pop it and fall through to the right operand.
    JumpIfFalseOrPop,
    JumpIfTrueOrPop,
}

/// <summary>
/// One bytecode instruction. Position is where in the text to point when this instruction fails a
/// run-time type check.
/// </summary>
internal readonly record struct Instruction(OpCode Op, int Operand = 0, double Value = 0, int Position = 0)
{
    public bool IsLoad => Op is OpCode.LoadAny or OpCode.LoadNumber or OpCode.LoadBoolean or OpCode.LoadString;

    /// <summary>Change in stack height when execution falls through this instruction.</summary>
    public int StackEffect => Op switch
    {
        OpCode.PushConstant or OpCode.PushString or OpCode.LoadAny or OpCode.LoadNumber
            or OpCode.LoadBoolean or OpCode.LoadString => 1,
        OpCode.Negate or OpCode.Not or OpCode.Abs or OpCode.Sqrt or OpCode.Log => 0,
        _ => -1,
    };
}
