using System.Text.Json;

namespace OptimizerGrpc.Cli.Output;

/// <summary>
/// What <c>--json</c> prints on stdout, and nothing else goes there: the JSON of <see cref="ResultJson"/> (snake_case,
/// states in lower case, parameters as plain JSON values).
/// </summary>
internal static class JsonOutput
{
    private static readonly JsonSerializerOptions Compact = new(ResultJson.Options) { WriteIndented = false };

    /// <summary>One indented document.</summary>
    public static void Write(object value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, ResultJson.Options));

    /// <summary>One line (JSON Lines), for streams (watch) and for ask, whose trials a shell reads line by line.</summary>
    public static void WriteLine(object value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Compact));
}
