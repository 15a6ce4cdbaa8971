namespace OptimizerGrpc.Trading;

/// <summary>A CSV file could not be read as a price series; says where (file, line, column) and why.</summary>
public sealed class CsvFormatException : FormatException
{
    /// <summary>Creates the exception; the message is prefixed with the location.</summary>
    public CsvFormatException(string filePath, int lineNumber, string? column, string reason)
        : base(Describe(filePath, lineNumber, column, reason))
    {
        FilePath = filePath;
        LineNumber = lineNumber;
        Column = column;
        Reason = reason;
    }

    /// <summary>The file path or label of the input.</summary>
    public string FilePath { get; }

    /// <summary>1-based line number (the header is line 1).</summary>
    public int LineNumber { get; }

    /// <summary>The column name, when the problem is in one column.</summary>
    public string? Column { get; }

    /// <summary>What was wrong, without the location prefix.</summary>
    public string Reason { get; }

    private static string Describe(string filePath, int lineNumber, string? column, string reason) =>
        column is null
            ? $"{filePath}, line {lineNumber}: {reason}"
            : $"{filePath}, line {lineNumber}, column '{column}': {reason}";
}
