namespace OptimizerGrpc.Trading;

/// <summary>
/// Bollinger bands (John Bollinger, "Bollinger on Bollinger Bands", 2001): middle = simple moving average over
/// <c>window</c> bars, bands = middle ± numStd × population standard deviation of the same window.
/// </summary>
public static class BollingerBands
{
    /// <summary>
    /// Writes the rolling mean and population standard deviation per bar; bars before the window is full get NaN.
    /// Uses running sums of values shifted by the first close, which keeps the sum-of-squares variance
    /// accurate for price levels far from zero.
    /// </summary>
    public static void Compute(ReadOnlySpan<double> close, int window, Span<double> mean, Span<double> std)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        if (mean.Length != close.Length || std.Length != close.Length)
        {
            throw new ArgumentException("mean and std must have the same length as close.", nameof(mean));
        }

        if (close.IsEmpty)
        {
            return;
        }

        var shift = close[0];
        double sum = 0, sumSquares = 0;
        for (var t = 0; t < close.Length; t++)
        {
            var x = close[t] - shift;
            sum += x;
            sumSquares += x * x;
            if (t >= window)
            {
                var old = close[t - window] - shift;
                sum -= old;
                sumSquares -= old * old;
            }

            if (t < window - 1)
            {
                mean[t] = double.NaN;
                std[t] = double.NaN;
                continue;
            }

            var m = sum / window;
            mean[t] = m + shift;

            // Rounding can push a zero variance slightly negative.
            std[t] = Math.Sqrt(Math.Max((sumSquares / window) - (m * m), 0));
        }
    }
}
