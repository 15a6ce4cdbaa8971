namespace OptimizerGrpc.Optimization;

/// <summary>An invalid optimization configuration, with the key path and, for YAML, the line and column.</summary>
public sealed class OptimizationConfigException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public OptimizationConfigException(string source, string keyPath, int? line, int? column, string problem, Exception? inner = null)
        : base($"{source}{(line is { } l ? $":{l}:{column}" : "")}: {keyPath}: {problem}", inner)
    {
        Source = source;
        KeyPath = keyPath;
        Line = line;
        Column = column;
        Problem = problem;
    }

    /// <summary>The file (or "configuration") the problem is in.</summary>
    public new string Source { get; }

    /// <summary>Dotted path of the offending key, e.g. "optimization.methods.genetic.parameters.population_size".</summary>
    public string KeyPath { get; }

    /// <summary>1-based line, when known.</summary>
    public int? Line { get; }

    /// <summary>1-based column, when known.</summary>
    public int? Column { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }
}
