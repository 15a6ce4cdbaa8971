namespace OptimizerGrpc.Core.Metrics;

/// <summary>
/// A backtest record or segment list the metrics cannot be computed from. <see cref="Field"/> is the path of the
/// offending value as the client sent it ("record.equity[17]"), for a BadRequest field violation;
/// <see cref="Exception.Message"/> is the whole sentence: "record.equity[17] is -3, equity must be &gt; 0".
/// </summary>
public sealed class MetricInputException : Exception
{
    public MetricInputException(string field, string problem)
        : base($"{field} {problem}")
    {
        Field = field;
    }

    /// <summary>Path of the offending value, e.g. "record.trades[3].exit_bar".</summary>
    public string Field { get; }
}
