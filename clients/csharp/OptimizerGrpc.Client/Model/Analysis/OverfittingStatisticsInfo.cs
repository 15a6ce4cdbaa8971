namespace OptimizerGrpc.Client;

/// <summary>
/// A stage's overfitting statistics: of its winner, and of its selection process. Statistics that need backtest
/// records are null and listed in <see cref="Unavailable"/> with the reason when the outcomes were values only.
/// </summary>
/// <param name="Winner">The winner's Sharpe statistics; null when unavailable.</param>
/// <param name="Pbo">The probability of backtest overfitting; null when unavailable.</param>
/// <param name="Unavailable">Why a statistic is missing, one reason each; empty when both are present.</param>
public sealed record OverfittingStatisticsInfo(SharpeStatisticsInfo? Winner, BacktestOverfittingInfo? Pbo, IReadOnlyList<string> Unavailable);

/// <summary>Overfitting-aware statistics of a return series (Bailey &amp; Lopez de Prado 2012, 2014).</summary>
public sealed record SharpeStatisticsInfo
{
    /// <summary>Number of per-period returns (T).</summary>
    public long Periods { get; init; }

    /// <summary>Per-period Sharpe ratio: mean over sample standard deviation (T - 1).</summary>
    public double SharpeRatio { get; init; }

    /// <summary>The annualised Sharpe ratio.</summary>
    public double AnnualizedSharpeRatio { get; init; }

    /// <summary>Skewness of the returns.</summary>
    public double Skewness { get; init; }

    /// <summary>Kurtosis of the returns, non-excess (3 for a normal distribution).</summary>
    public double Kurtosis { get; init; }

    /// <summary>PSR: the probability that the true Sharpe ratio exceeds 0.</summary>
    public double ProbabilisticSharpeRatio { get; init; }

    /// <summary>DSR: the PSR against <see cref="ExpectedMaxSharpe"/>, the expected maximum of <see cref="Trials"/> unskilled trials.</summary>
    public double DeflatedSharpeRatio { get; init; }

    /// <summary>The DSR's benchmark SR0, per period.</summary>
    public double ExpectedMaxSharpe { get; init; }

    /// <summary>N: the distinct completed trials of the stage.</summary>
    public long Trials { get; init; }

    /// <summary>V: the variance of the trials' per-period Sharpe ratios.</summary>
    public double SharpeVariance { get; init; }

    /// <summary>MinTRL: the periods needed for the Sharpe ratio to beat 0 at 95% confidence.</summary>
    public double MinTrackRecordLength { get; init; }

    /// <summary>MinBTL: the backtest length in years below which <see cref="Trials"/> trials would find an annualised Sharpe ratio this high by chance.</summary>
    public double MinBacktestLengthYears { get; init; }
}

/// <summary>
/// The Probability of Backtest Overfitting by combinatorially symmetric cross-validation (Bailey, Borwein,
/// Lopez de Prado &amp; Zhu 2017).
/// </summary>
public sealed record BacktestOverfittingInfo
{
    /// <summary>Blocks S the returns were split into.</summary>
    public int Blocks { get; init; }

    /// <summary>In-sample/out-of-sample combinations: C(S, S/2).</summary>
    public long Combinations { get; init; }

    /// <summary>PBO: the share of combinations whose in-sample winner ranks below the median out of sample.</summary>
    public double Probability { get; init; }

    /// <summary>Edges of the logit histogram's bins (one more than <see cref="LogitHistogram"/>).</summary>
    public IReadOnlyList<double> LogitBinEdges { get; init; } = [];

    /// <summary>Counts of the logits of the out-of-sample relative ranks per bin.</summary>
    public IReadOnlyList<long> LogitHistogram { get; init; } = [];

    /// <summary>Slope of out-of-sample on in-sample Sharpe ratios of the selected trials.</summary>
    public double DegradationSlope { get; init; }

    /// <summary>Intercept of that fit.</summary>
    public double DegradationIntercept { get; init; }

    /// <summary>The share of combinations whose selected trial loses out of sample.</summary>
    public double ProbabilityOfLoss { get; init; }
}
