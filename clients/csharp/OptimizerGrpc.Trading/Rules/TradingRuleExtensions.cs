namespace OptimizerGrpc.Trading;

/// <summary>Conveniences over <see cref="ITradingRule"/>.</summary>
public static class TradingRuleExtensions
{
    /// <summary>Allocates and returns the position series for <paramref name="close"/>.</summary>
    public static double[] GeneratePositions(this ITradingRule rule, ReadOnlySpan<double> close)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var positions = new double[close.Length];
        rule.ComputePositions(close, positions);
        return positions;
    }
}
