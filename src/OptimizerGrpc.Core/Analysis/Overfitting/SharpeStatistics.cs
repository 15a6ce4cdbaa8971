using OptimizerGrpc.Core.Numerics;

namespace OptimizerGrpc.Core.Analysis.Overfitting;

/// <summary>
/// Significance of a Sharpe ratio under non-normal returns and multiple testing.
/// <list type="bullet">
/// <item>Probabilistic Sharpe Ratio and Minimum Track Record Length: Bailey and López de Prado, "The Sharpe Ratio
/// Efficient Frontier", Journal of Risk 15(2), 2012.</item>
/// <item>Deflated Sharpe Ratio and the expected maximum of N standard normals: Bailey and López de Prado, "The Deflated
/// Sharpe Ratio: Correcting for Selection Bias, Backtest Overfitting and Non-Normality", Journal of Portfolio
/// Management 40(5), 2014.</item>
/// <item>Minimum Backtest Length: Bailey, Borwein, López de Prado and Zhu, "Pseudo-Mathematics and Financial
/// Charlatanism", Notices of the AMS 61(5), 2014.</item>
/// </list>
/// Conventions: Sharpe ratios are per period (not annualised) and T is the number of periods, except in
/// <see cref="MinimumBacktestLength"/>, which works in years. Skewness γ3 and kurtosis γ4 are as in
/// <see cref="ReturnMoments"/>: γ4 is NOT excess (3 for normal returns).
/// </summary>
public static class SharpeStatistics
{
    /// <summary>The Euler–Mascheroni constant γ.</summary>
    public const double EulerMascheroni = 0.57721566490153286061;

    /// <summary>
    /// PSR(SR*) = Φ((SR − SR*)·√(T − 1) / √(1 − γ3·SR + (γ4 − 1)/4·SR²)): the probability that the true Sharpe ratio
    /// exceeds <paramref name="benchmarkSharpeRatio"/> given the observed one. NaN when the variance term is not
    /// positive, which valid moments (γ4 ≥ 1 + γ3²) never make it.
    /// </summary>
    /// <param name="sharpeRatio">Observed per-period Sharpe ratio SR.</param>
    /// <param name="benchmarkSharpeRatio">SR*, per period (0 asks whether the strategy has any skill).</param>
    /// <param name="count">T, the number of returns, at least 2.</param>
    public static double ProbabilisticSharpeRatio(double sharpeRatio, double benchmarkSharpeRatio, int count, double skewness, double kurtosis)
    {
        CheckCount(count, nameof(count));
        double varianceTerm = VarianceTerm(sharpeRatio, skewness, kurtosis);
        return varianceTerm > 0
            ? NormalDistribution.Cdf((sharpeRatio - benchmarkSharpeRatio) * Math.Sqrt(count - 1) / Math.Sqrt(varianceTerm))
            : double.NaN;
    }

    /// <summary>PSR of a return series against <paramref name="benchmarkSharpeRatio"/> (per period).</summary>
    public static double ProbabilisticSharpeRatio(ReturnMoments moments, double benchmarkSharpeRatio = 0) =>
        ProbabilisticSharpeRatio(moments.SharpeRatio(), benchmarkSharpeRatio, moments.Count, moments.Skewness, moments.Kurtosis);

    /// <summary>
    /// E[max of N independent standard normals] ≈ (1 − γ)·Φ⁻¹(1 − 1/N) + γ·Φ⁻¹(1 − 1/(N·e)) (2014; good for
    /// large N, 2.5306 for N = 100). Exactly 0 for N = 1, where the approximation would be −∞.
    /// </summary>
    public static double ExpectedMaximumOfStandardNormals(int trials)
    {
        CheckTrials(trials, nameof(trials));
        return trials == 1
            ? 0
            : ((1 - EulerMascheroni) * NormalDistribution.InverseCdf(1 - (1.0 / trials)))
                + (EulerMascheroni * NormalDistribution.InverseCdf(1 - (1.0 / (trials * Math.E))));
    }

    /// <summary>
    /// SR0 = √V · E[max of N standard normals]: the Sharpe ratio the best of N unskilled trials is expected to show,
    /// the benchmark the Deflated Sharpe Ratio tests against.
    /// </summary>
    /// <param name="trials">N, the number of independent trials tried, at least 1.</param>
    /// <param name="sharpeVariance">V, the variance of the trials' per-period Sharpe ratios, finite and ≥ 0.</param>
    public static double DeflatedSharpeThreshold(int trials, double sharpeVariance)
    {
        if (!(sharpeVariance >= 0 && double.IsFinite(sharpeVariance)))
        {
            throw new ArgumentOutOfRangeException(nameof(sharpeVariance), sharpeVariance, "The Sharpe ratios' variance must be finite and ≥ 0.");
        }

        return Math.Sqrt(sharpeVariance) * ExpectedMaximumOfStandardNormals(trials);
    }

    /// <summary>DSR = PSR(SR0), SR0 from <see cref="DeflatedSharpeThreshold"/>: the probability that the selected
    /// trial's true Sharpe ratio is positive after allowing for the N trials tried.</summary>
    public static double DeflatedSharpeRatio(double sharpeRatio, int count, double skewness, double kurtosis, int trials, double sharpeVariance) =>
        ProbabilisticSharpeRatio(sharpeRatio, DeflatedSharpeThreshold(trials, sharpeVariance), count, skewness, kurtosis);

    /// <summary>DSR of the selected trial's return series.</summary>
    public static double DeflatedSharpeRatio(ReturnMoments selected, int trials, double sharpeVariance) =>
        ProbabilisticSharpeRatio(selected, DeflatedSharpeThreshold(trials, sharpeVariance));

    /// <summary>
    /// MinTRL = 1 + (1 − γ3·SR + (γ4 − 1)/4·SR²)·(z_α / (SR − SR*))², z_α = Φ⁻¹(confidence): the number of periods
    /// after which PSR(SR*) reaches <paramref name="confidence"/> (2012). +∞ when SR ≤ SR*, where no track
    /// record is long enough.
    /// </summary>
    /// <param name="confidence">1 − α, in (0, 1); 0.95 by default.</param>
    public static double MinimumTrackRecordLength(double sharpeRatio, double benchmarkSharpeRatio, double skewness, double kurtosis, double confidence = 0.95)
    {
        if (!(confidence > 0 && confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "The confidence must be in the range (0, 1).");
        }

        if (!(sharpeRatio > benchmarkSharpeRatio))
        {
            return double.PositiveInfinity;
        }

        double z = NormalDistribution.InverseCdf(confidence) / (sharpeRatio - benchmarkSharpeRatio);
        return 1 + (VarianceTerm(sharpeRatio, skewness, kurtosis) * z * z);
    }

    /// <summary>
    /// MinBTL ≈ (E[max of N standard normals] / SR)² years: the backtest length below which some of N unskilled
    /// trials is expected to reach an annualised in-sample Sharpe ratio of <paramref name="annualisedSharpeRatio"/>
    /// (2014 Notices; 4.998 years for N = 45 and SR = 1).
    /// </summary>
    /// <param name="annualisedSharpeRatio">The annualised Sharpe ratio not to be mistaken for skill, &gt; 0.</param>
    public static double MinimumBacktestLength(int trials, double annualisedSharpeRatio)
    {
        if (!(annualisedSharpeRatio > 0 && double.IsFinite(annualisedSharpeRatio)))
        {
            throw new ArgumentOutOfRangeException(nameof(annualisedSharpeRatio), annualisedSharpeRatio, "The annualised Sharpe ratio must be finite and > 0.");
        }

        double ratio = ExpectedMaximumOfStandardNormals(trials) / annualisedSharpeRatio;
        return ratio * ratio;
    }

    // 1 − γ3·SR + (γ4 − 1)/4·SR²: T times the variance of the Sharpe ratio estimate (Mertens 2002, as the 2012 paper
    // restates it).
    private static double VarianceTerm(double sharpeRatio, double skewness, double kurtosis) =>
        1 - (skewness * sharpeRatio) + ((kurtosis - 1) / 4 * sharpeRatio * sharpeRatio);

    private static void CheckCount(int count, string paramName)
    {
        if (count < 2)
        {
            throw new ArgumentOutOfRangeException(paramName, count, "The number of returns must be at least 2.");
        }
    }

    private static void CheckTrials(int trials, string paramName)
    {
        if (trials < 1)
        {
            throw new ArgumentOutOfRangeException(paramName, trials, "The number of trials must be at least 1.");
        }
    }
}
