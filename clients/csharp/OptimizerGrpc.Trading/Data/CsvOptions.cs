namespace OptimizerGrpc.Trading;

/// <summary>How <see cref="CsvDataHandler"/> reads a file.</summary>
public sealed record CsvOptions
{
    /// <summary>The time column; null detects the first of Date, Timestamp, Time, DateTime (case-insensitive).</summary>
    public string? TimeColumn { get; init; }

    /// <summary>The price column, matched case-insensitively. Default "Close".</summary>
    public string ValueColumn { get; init; } = "Close";

    /// <summary>
    /// Throw when a row's time is not after the previous row's. Default false: such rows are kept in file order
    /// and listed in <see cref="PriceSeries.Issues"/>, because real vendor files (including the NYSE sample, with a
    /// mistyped year on line 289 and a repeated date on line 964) have them and a backtest on closes is still valid.
    /// </summary>
    public bool RequireIncreasingTimes { get; init; }

    /// <summary>Field separator. Default ','. Quoted fields are not supported.</summary>
    public char Separator { get; init; } = ',';
}
