namespace OptimizerGrpc.Core.Analysis.Overfitting;

/// <summary>
/// The power sums of a stretch of per-period returns: how many, Σr, Σr², Σr³ and Σr⁴. Sums of disjoint stretches add,
/// so the sums of any union of stretches are exact, and so are its mean, sample standard deviation, skewness and
/// kurtosis (<see cref="ReturnMoments.FromSums"/>). Raw sums lose digits only when |mean| is many standard deviations
/// large, which per-period trading returns never are.
/// </summary>
public readonly record struct ReturnSums(int Count, double Sum, double SumOfSquares, double SumOfCubes, double SumOfFourthPowers)
{
    public static ReturnSums Empty => default;

    public static ReturnSums FromReturns(ReadOnlySpan<double> returns)
    {
        double s1 = 0, s2 = 0, s3 = 0, s4 = 0;
        foreach (double r in returns)
        {
            double r2 = r * r;
            s1 += r;
            s2 += r2;
            s3 += r2 * r;
            s4 += r2 * r2;
        }

        return new(returns.Length, s1, s2, s3, s4);
    }

    public static ReturnSums operator +(ReturnSums a, ReturnSums b) =>
        new(a.Count + b.Count, a.Sum + b.Sum, a.SumOfSquares + b.SumOfSquares, a.SumOfCubes + b.SumOfCubes,
            a.SumOfFourthPowers + b.SumOfFourthPowers);

    public static ReturnSums operator -(ReturnSums a, ReturnSums b) =>
        new(a.Count - b.Count, a.Sum - b.Sum, a.SumOfSquares - b.SumOfSquares, a.SumOfCubes - b.SumOfCubes,
            a.SumOfFourthPowers - b.SumOfFourthPowers);

    public static ReturnSums Add(ReturnSums left, ReturnSums right) => left + right;

    public static ReturnSums Subtract(ReturnSums left, ReturnSums right) => left - right;

    /// <summary>Per-period Sharpe ratio (mean − risk-free) / sample standard deviation, from the first two sums
    /// alone; see <see cref="SharpeFromSums"/> for the degenerate cases.</summary>
    public double SharpeRatio(double riskFreePerPeriod = 0) => SharpeFromSums(Count, Sum, SumOfSquares, riskFreePerPeriod);

    /// <summary>
    /// (mean − risk-free) / sample standard deviation (divisor n − 1) from n, Σr and Σr². A variance that rounding
    /// drives below 0 is taken as 0, so a zero variance gives ±∞, or NaN when the excess mean is 0 too; NaN for n &lt; 2.
    /// The CSCV's hot loop calls this too, so a union's ratio is the same number wherever it is computed.
    /// </summary>
    internal static double SharpeFromSums(double count, double sum, double sumOfSquares, double riskFreePerPeriod = 0)
    {
        if (!(count >= 2))
        {
            return double.NaN;
        }

        double mean = sum / count;
        double variance = Math.Max(0, (sumOfSquares - (sum * mean)) / (count - 1));
        return (mean - riskFreePerPeriod) / Math.Sqrt(variance);
    }
}
