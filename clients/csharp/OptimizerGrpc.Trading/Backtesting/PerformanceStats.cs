namespace OptimizerGrpc.Trading;

/// <summary>Performance statistics of an equity curve.</summary>
public static class PerformanceStats
{
    /// <summary>
    /// Annualised Sharpe ratio (W. F. Sharpe, "The Sharpe Ratio", Journal of Portfolio Management, 1994):
    /// mean of per-bar simple returns minus the per-bar risk-free rate, over the sample standard deviation
    /// (n - 1) of the returns, times sqrt(<paramref name="annualizationFactor"/>). <paramref name="riskFreeRate"/> is
    /// annual and is divided by the annualisation factor per bar. Returns 0 when there are fewer than two
    /// returns or their standard deviation is 0.
    /// </summary>
    public static double SharpeRatio(ReadOnlySpan<double> equity, double annualizationFactor = 252, double riskFreeRate = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(annualizationFactor);
        var count = equity.Length - 1;
        if (count < 2)
        {
            return 0;
        }

        // Welford's update keeps the variance accurate for long series of tiny returns.
        double mean = 0, m2 = 0;
        for (var i = 1; i < equity.Length; i++)
        {
            var r = (equity[i] / equity[i - 1]) - 1;
            var delta = r - mean;
            mean += delta / i;
            m2 += delta * (r - mean);
        }

        var std = Math.Sqrt(m2 / (count - 1));
        return std == 0 ? 0 : (mean - (riskFreeRate / annualizationFactor)) / std * Math.Sqrt(annualizationFactor);
    }

    /// <summary>Final equity over initial equity minus one; 0 for fewer than two points.</summary>
    public static double TotalReturn(ReadOnlySpan<double> equity) =>
        equity.Length < 2 ? 0 : (equity[^1] / equity[0]) - 1;

    /// <summary>Largest peak-to-trough fall as a positive fraction of the peak (0 when equity never falls).</summary>
    public static double MaxDrawdown(ReadOnlySpan<double> equity)
    {
        double peak = double.NegativeInfinity, worst = 0;
        foreach (var value in equity)
        {
            peak = Math.Max(peak, value);
            worst = Math.Max(worst, 1 - (value / peak));
        }

        return worst;
    }
}
