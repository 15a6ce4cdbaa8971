using static OptimizerGrpc.Core.Studies.UserText;

namespace OptimizerGrpc.Core.Expressions;

/// <summary>The built-in functions. All take and return numbers; min and max take one or more arguments.</summary>
internal static class Functions
{
    public static bool TryFind(string name, out OpCode op, out bool variadic)
    {
        (op, variadic) = name switch
        {
            "abs" => (OpCode.Abs, false),
            "sqrt" => (OpCode.Sqrt, false),
            "log" => (OpCode.Log, false),
            "min" => (OpCode.Min, true),
            "max" => (OpCode.Max, true),
            _ => (OpCode.PushConstant, false),
        };
        return op != OpCode.PushConstant;
    }

    public static string ArityError(string name, bool variadic, int count) => variadic
        ? $"function {Quote(name)} takes at least 1 argument, got {count}"
        : $"function {Quote(name)} takes 1 argument, got {count}";
}
