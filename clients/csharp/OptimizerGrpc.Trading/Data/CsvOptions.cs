namespace OptimizerGrpc.Trading;

/// <summary>How <see cref="CsvDataHandler"/> reads a file.</summary>
public sealed record CsvOptions
{
    /// <summary>The time column; null detects the first of Date, Timestamp, Time, DateTime (case-insensitive).</summary>
    public string? TimeColumn { get; init; }

    /// <summary>The price column, matched case-insensitively. Default "Close".</summary>
    public string ValueColumn { get; init; } = "Close";

    /// <summary>Field separator. Default ','. Quoted fields are not supported.</summary>
    public char Separator { get; init; } = ',';
}
