namespace OptimizerGrpc.Optimization;

/// <summary>The server's name rule (letters, digits and '_', not starting with a digit) and the mapping of spec names to it.</summary>
internal static class Names
{
    // The server's parameter names admit no '.', so the spec's "rule.parameter" travels as "rule__parameter".
    private const string DotOnTheWire = "__";

    public static bool IsIdentifier(string? name) =>
        !string.IsNullOrEmpty(name) && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    public static string ToWire(string parameter) => parameter.Replace(".", DotOnTheWire, StringComparison.Ordinal);

    public static string FromWire(string parameter) => parameter.Replace(DotOnTheWire, ".", StringComparison.Ordinal);
}
