namespace OptimizerGrpc.Trading;

/// <summary>
/// Wilder's Relative Strength Index (J. Welles Wilder Jr., "New Concepts in Technical Trading Systems", 1978).
/// The first average gain and loss are simple means of the first <c>period</c> changes; after that each is
/// smoothed as avg = (avg * (period - 1) + current) / period. RSI = 100 - 100 / (1 + avgGain / avgLoss).
/// </summary>
public static class RelativeStrengthIndex
{
    /// <summary>
    /// Writes RSI per bar into <paramref name="rsi"/>. Bars 0..period-1 have no RSI yet and get NaN. When there
    /// are no losses the RSI is 100, and when there is no movement at all it is 50.
    /// </summary>
    public static void Compute(ReadOnlySpan<double> close, int period, Span<double> rsi)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        if (rsi.Length != close.Length)
        {
            throw new ArgumentException($"rsi has {rsi.Length} entries but close has {close.Length}.", nameof(rsi));
        }

        var warmup = Math.Min(period, close.Length);
        rsi[..warmup].Fill(double.NaN);
        if (close.Length <= period)
        {
            return;
        }

        double gain = 0, loss = 0;
        for (var t = 1; t <= period; t++)
        {
            var change = close[t] - close[t - 1];
            gain += Math.Max(change, 0);
            loss += Math.Max(-change, 0);
        }

        gain /= period;
        loss /= period;
        rsi[period] = FromAverages(gain, loss);
        for (var t = period + 1; t < close.Length; t++)
        {
            var change = close[t] - close[t - 1];
            gain = ((gain * (period - 1)) + Math.Max(change, 0)) / period;
            loss = ((loss * (period - 1)) + Math.Max(-change, 0)) / period;
            rsi[t] = FromAverages(gain, loss);
        }
    }

    private static double FromAverages(double gain, double loss) =>
        loss == 0 ? (gain == 0 ? 50.0 : 100.0) : 100.0 - (100.0 / (1.0 + (gain / loss)));
}
