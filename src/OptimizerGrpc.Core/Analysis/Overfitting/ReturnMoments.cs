namespace OptimizerGrpc.Core.Analysis.Overfitting;

/// <summary>
/// The first four moments of a per-period return series, as the Sharpe-ratio statistics need them.
/// <list type="bullet">
/// <item><see cref="StandardDeviation"/> is the sample one (divisor T − 1), as in the Sharpe ratio.</item>
/// <item><see cref="Skewness"/> γ3 = m3 / m2^(3/2) and <see cref="Kurtosis"/> γ4 = m4 / m2² use the population
/// central moments m_k = (1/T) Σ (r − mean)^k (no small-sample correction), as Bailey and López de Prado do (their
/// code calls scipy.stats.skew and kurtosis(fisher=False) with bias=True). The kurtosis is NOT excess: a normal
/// series has γ4 = 3.</item>
/// </list>
/// A series with zero variance has an infinite or undefined (NaN) Sharpe ratio and NaN skewness and kurtosis.
/// </summary>
public readonly record struct ReturnMoments
{
    private ReturnMoments(int count, double mean, double standardDeviation, double skewness, double kurtosis)
    {
        Count = count;
        Mean = mean;
        StandardDeviation = standardDeviation;
        Skewness = skewness;
        Kurtosis = kurtosis;
    }

    /// <summary>T, the number of returns (at least 2).</summary>
    public int Count { get; }

    public double Mean { get; }

    /// <summary>Sample standard deviation, divisor T − 1.</summary>
    public double StandardDeviation { get; }

    /// <summary>γ3 from population moments; 0 for a symmetric series.</summary>
    public double Skewness { get; }

    /// <summary>γ4 from population moments, non-excess (3 for a normal series).</summary>
    public double Kurtosis { get; }

    /// <summary>Per-period Sharpe ratio (mean − risk-free) / sample standard deviation; not annualised.</summary>
    /// <param name="riskFreePerPeriod">The risk-free return per period, 0 by default.</param>
    public double SharpeRatio(double riskFreePerPeriod = 0) => (Mean - riskFreePerPeriod) / StandardDeviation;

    /// <summary>Moments of a return series, computed in two passes (mean first) for accuracy.</summary>
    public static ReturnMoments FromReturns(ReadOnlySpan<double> returns)
    {
        CheckCount(returns.Length, nameof(returns));
        double mean = 0;
        foreach (double r in returns)
        {
            mean += r;
        }

        mean /= returns.Length;
        double m2 = 0, m3 = 0, m4 = 0;
        foreach (double r in returns)
        {
            double d = r - mean;
            double d2 = d * d;
            m2 += d2;
            m3 += d2 * d;
            m4 += d2 * d2;
        }

        return FromCentralSums(returns.Length, mean, m2, m3, m4);
    }

    /// <summary>Moments from power sums (for example of a union of blocks), by the binomial expansion of the central
    /// sums: Σd² = S2 − n·μ², Σd³ = S3 − 3μ·S2 + 2n·μ³, Σd⁴ = S4 − 4μ·S3 + 6μ²·S2 − 3n·μ⁴.</summary>
    public static ReturnMoments FromSums(ReturnSums sums)
    {
        CheckCount(sums.Count, nameof(sums));
        int n = sums.Count;
        double mean = sums.Sum / n;
        double mean2 = mean * mean;
        double c2 = sums.SumOfSquares - (n * mean2);
        double c3 = sums.SumOfCubes - (3 * mean * sums.SumOfSquares) + (2 * n * mean2 * mean);
        double c4 = sums.SumOfFourthPowers - (4 * mean * sums.SumOfCubes) + (6 * mean2 * sums.SumOfSquares) - (3 * n * mean2 * mean2);
        return FromCentralSums(n, mean, Math.Max(0, c2), c3, Math.Max(0, c4));
    }

    private static ReturnMoments FromCentralSums(int n, double mean, double c2, double c3, double c4)
    {
        double m2 = c2 / n;
        return new(n, mean, Math.Sqrt(c2 / (n - 1)), c3 / n / Math.Pow(m2, 1.5), c4 / n / (m2 * m2));
    }

    private static void CheckCount(int count, string paramName)
    {
        if (count < 2)
        {
            throw new ArgumentException($"Moments need at least 2 returns; got {count}.", paramName);
        }
    }
}
