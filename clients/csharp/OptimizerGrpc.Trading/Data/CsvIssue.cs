namespace OptimizerGrpc.Trading;

/// <summary>A suspicious row that was kept as is (for example a time not after the previous row's).</summary>
/// <param name="LineNumber">1-based line number in the file.</param>
/// <param name="Column">The column the issue is in.</param>
/// <param name="Message">What looks wrong.</param>
public sealed record CsvIssue(int LineNumber, string Column, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"line {LineNumber}, column '{Column}': {Message}";
}
