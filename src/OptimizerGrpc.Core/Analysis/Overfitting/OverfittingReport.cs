namespace OptimizerGrpc.Core.Analysis.Overfitting;

/// <summary>The overfitting-aware statistics of a stage's winner (see <see cref="OverfittingReports"/>).</summary>
public sealed record WinnerStatistics(
    long Periods,
    double SharpeRatio,
    double AnnualizedSharpeRatio,
    double Skewness,
    double Kurtosis,
    double ProbabilisticSharpeRatio,
    double DeflatedSharpeRatio,
    double ExpectedMaxSharpe,
    int Trials,
    double SharpeVariance,
    double MinTrackRecordLength,
    double MinBacktestLengthYears);

/// <summary>A stage's overfitting statistics, and for each one that could not be computed, why.</summary>
public sealed record OverfittingReport(WinnerStatistics? Winner, BacktestOverfittingResult? Pbo, IReadOnlyList<string> Unavailable);

/// <summary>Options of the overfitting statistics, with their defaults.</summary>
/// <param name="PboBlocks">S of the cross-validation: 2, 4, 8 or 16 (the stored blocks merged pairwise). Default 16.</param>
/// <param name="PboMaxTrials">Trials entering the cross-validation, 2..10,000 (default 1,000): beyond it, every k-th
/// trial in number order plus the winner, so the cost stays bounded on 100,000-trial stages.</param>
/// <param name="PeriodsPerYear">Periods per year for annualised Sharpe ratios and the minimum backtest length: the
/// study's annualization factor, else 252 (daily bars).</param>
public sealed record OverfittingOptions(int PboBlocks = 16, int PboMaxTrials = 1000, double PeriodsPerYear = 252)
{
    public IReadOnlyList<string> Violations()
    {
        var v = new List<string>();
        if (PboBlocks is not (2 or 4 or 8 or 16))
        {
            v.Add($"pbo_blocks must be 2, 4, 8 or 16, got {PboBlocks}");
        }

        if (PboMaxTrials is < 2 or > 10_000)
        {
            v.Add($"pbo_max_trials must be between 2 and 10000, got {PboMaxTrials}");
        }

        return v;
    }
}

/// <summary>
/// The overfitting statistics of one stage from its trials' return summaries: the winner's Probabilistic and Deflated
/// Sharpe ratios (Bailey and López de Prado 2012, 2014) with N = the stage's completed trials with a record and V = the
/// sample variance of their per-period Sharpe ratios, its skewness and non-excess kurtosis, Minimum Track Record Length
/// (against 0, 95%) and Minimum Backtest Length for N; and the Probability of Backtest Overfitting by combinatorially
/// symmetric cross-validation (Bailey, Borwein, López de Prado and Zhu 2017).
/// </summary>
public static class OverfittingReports
{
    public const string ValuesOnly =
        "the stage's outcomes carry no backtest records (values only), so there are no per-period returns to test";

    /// <param name="winner">The stage's best trial's returns; null when it has none.</param>
    /// <param name="trials">The returns of the stage's completed trials (the winner among them), in trial-number order.</param>
    public static OverfittingReport Build(TrialReturns? winner, IReadOnlyList<TrialReturns> trials, OverfittingOptions options)
    {
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(options);
        var unavailable = new List<string>();
        if (winner is null)
        {
            unavailable.Add("winner statistics: " + (trials.Count == 0 ? ValuesOnly : "the winner has no backtest record"));
            unavailable.Add("probability of backtest overfitting: " + (trials.Count == 0 ? ValuesOnly : "the winner has no backtest record"));
            return new OverfittingReport(null, null, unavailable);
        }

        var stats = Winner(winner, trials, options, unavailable);
        BacktestOverfittingResult? pbo = null;
        if (trials.Count < 2)
        {
            unavailable.Add("probability of backtest overfitting: it needs at least 2 completed trials with records");
        }
        else
        {
            try
            {
                var sample = Sample(trials, winner, options.PboMaxTrials).Select(t => Merge(t.Blocks, options.PboBlocks)).ToList();
                pbo = BacktestOverfitting.Estimate(sample, new BacktestOverfittingOptions(options.PboBlocks));
            }
            catch (ArgumentException ex)
            {
                unavailable.Add("probability of backtest overfitting: " + ex.Message);
            }
        }

        return new OverfittingReport(stats, pbo, unavailable);
    }

    /// <summary>The winner's statistics against <paramref name="trials"/> (N and V).</summary>
    public static WinnerStatistics Winner(TrialReturns winner, IReadOnlyList<TrialReturns> trials, OverfittingOptions options, List<string> unavailable)
    {
        ArgumentNullException.ThrowIfNull(winner);
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(unavailable);
        var moments = ReturnMoments.FromSums(winner.Blocks.Total);
        double sr = moments.SharpeRatio();
        int n = Math.Max(1, trials.Count);
        double variance = SampleVariance(trials.Select(t => t.Blocks.Total.SharpeRatio()).Where(double.IsFinite).ToList());
        double dsr = double.NaN, sr0 = double.NaN;
        if (n >= 2 && double.IsFinite(variance))
        {
            sr0 = SharpeStatistics.DeflatedSharpeThreshold(n, variance);
            dsr = SharpeStatistics.DeflatedSharpeRatio(moments, n, variance);
        }
        else
        {
            unavailable?.Add("deflated Sharpe ratio: it needs at least 2 completed trials with records");
        }

        double annualized = sr * Math.Sqrt(options.PeriodsPerYear);
        return new WinnerStatistics(
            moments.Count,
            sr,
            annualized,
            moments.Skewness,
            moments.Kurtosis,
            SharpeStatistics.ProbabilisticSharpeRatio(moments),
            dsr,
            sr0,
            n,
            variance,
            SharpeStatistics.MinimumTrackRecordLength(sr, 0, moments.Skewness, moments.Kurtosis),
            n >= 2 && annualized > 0 ? SharpeStatistics.MinimumBacktestLength(n, annualized) : double.NaN);
    }

    /// <summary>The stored blocks merged into <paramref name="blocks"/> consecutive groups.</summary>
    public static BlockReturns Merge(BlockReturns stored, int blocks)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (stored.BlockCount == blocks)
        {
            return stored;
        }

        if (stored.BlockCount % blocks != 0)
        {
            throw new ArgumentException($"{blocks} blocks do not divide the {stored.BlockCount} stored blocks", nameof(blocks));
        }

        int width = stored.BlockCount / blocks;
        return BlockReturns.FromBlocks(Enumerable.Range(0, blocks).Select(b => stored.Union(((1 << width) - 1) << (b * width))));
    }

    // Every k-th trial in number order, plus the winner: deterministic and spread over the whole run.
    private static IEnumerable<TrialReturns> Sample(IReadOnlyList<TrialReturns> trials, TrialReturns winner, int max)
    {
        if (trials.Count <= max)
        {
            return trials;
        }

        double step = (double)trials.Count / (max - 1);
        var picked = Enumerable.Range(0, max - 1).Select(i => trials[(int)(i * step)]).ToList();
        if (!picked.Contains(winner))
        {
            picked.Add(winner);
        }

        return picked;
    }

    private static double SampleVariance(List<double> values)
    {
        if (values.Count < 2)
        {
            return double.NaN;
        }

        double mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
    }
}
