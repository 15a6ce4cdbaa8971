namespace OptimizerGrpc.Trading;

/// <summary>
/// Vectorised close-to-close backtester. The position decided at bar t's close (using data up to t only) earns
/// the return from close t to close t + 1, so no bar's own future is ever used:
/// <code>Equity[t + 1] = Equity[t] × (1 − commission × |Position[t] − Position[t − 1]|) × (1 + Position[t] × (Close[t + 1] / Close[t] − 1))</code>
/// with Position[−1] = 0. Positions are fractions of equity (rebalanced each bar); the last bar's position earns
/// nothing because no return follows it.
/// </summary>
public sealed class Backtester
{
    /// <summary>Creates a backtester.</summary>
    /// <param name="initialCapital">Equity[0]. Default 1.</param>
    /// <param name="commission">Cost as a fraction of equity per unit of position change (0.001 = 10 bp per full turn in or out). Default 0.</param>
    public Backtester(double initialCapital = 1.0, double commission = 0.0)
    {
        if (!(initialCapital > 0) || !double.IsFinite(initialCapital))
        {
            throw new ArgumentOutOfRangeException(nameof(initialCapital), initialCapital, "Initial capital must be a positive finite number.");
        }

        if (!(commission >= 0 && commission < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(commission), commission, "Commission must be in [0, 1).");
        }

        InitialCapital = initialCapital;
        Commission = commission;
    }

    /// <summary>Equity at bar 0.</summary>
    public double InitialCapital { get; }

    /// <summary>Cost per unit of position change, as a fraction of equity.</summary>
    public double Commission { get; }

    /// <summary>Runs a rule over the closes and backtests its positions.</summary>
    public BacktestResult Run(ReadOnlySpan<double> close, ITradingRule rule) => Run(close, rule.GeneratePositions(close));

    /// <summary>Backtests a position series (one entry per bar, same length as <paramref name="close"/>).</summary>
    public BacktestResult Run(ReadOnlySpan<double> close, ReadOnlySpan<double> position)
    {
        if (close.Length != position.Length)
        {
            throw new ArgumentException($"position has {position.Length} entries but close has {close.Length}; they must be equal.", nameof(position));
        }

        var equity = new double[close.Length];
        if (close.Length == 0)
        {
            return new BacktestResult(equity, [], []);
        }

        equity[0] = InitialCapital;
        var previous = 0.0;
        for (var t = 0; t + 1 < close.Length; t++)
        {
            var p = position[t];
            if (!double.IsFinite(p))
            {
                throw new ArgumentException($"position[{t}] is {p}; positions must be finite.", nameof(position));
            }

            var cost = Commission * Math.Abs(p - previous);
            equity[t + 1] = equity[t] * (1 - cost) * (1 + (p * ((close[t + 1] / close[t]) - 1)));
            previous = p;
        }

        return new BacktestResult(equity, position.ToArray(), FindTrades(close, position, equity));
    }

    // A trade is a run of bars whose position has one sign; a change of size within the run (re-sizing) does
    // not split it. It exits at the first bar whose position has another sign, or at the last bar.
    private static List<Trade> FindTrades(ReadOnlySpan<double> close, ReadOnlySpan<double> position, double[] equity)
    {
        var trades = new List<Trade>();
        var last = close.Length - 1;
        var t = 0;
        while (t < last)
        {
            var sign = Math.Sign(position[t]);
            if (sign == 0)
            {
                t++;
                continue;
            }

            var entry = t;
            while (t < last && Math.Sign(position[t]) == sign)
            {
                t++;
            }

            var priceReturn = (close[t] / close[entry]) - 1;
            trades.Add(new Trade(
                entry, t, sign > 0 ? TradeSide.Long : TradeSide.Short, Math.Abs(position[entry]), close[entry], close[t],
                sign * priceReturn, equity[t] - equity[entry]));
        }

        return trades;
    }
}
