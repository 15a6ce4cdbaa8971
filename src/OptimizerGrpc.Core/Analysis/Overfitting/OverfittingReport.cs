namespace OptimizerGrpc.Core.Analysis.Overfitting;

/// <summary>The overfitting-aware statistics of a stage's winner (see <see cref="OverfittingAccumulator"/>).</summary>
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
/// The overfitting statistics of one stage, accumulated from its trials' return summaries in trial-number order (so a
/// 100,000-trial stage streams through, keeping one Sharpe ratio per trial and at most <see cref="OverfittingOptions.PboMaxTrials"/>
/// summaries): the winner's Probabilistic and Deflated Sharpe ratios (Bailey and López de Prado 2012, 2014) with
/// N = the stage's completed trials with a record and V = the sample variance of their per-period Sharpe ratios, its
/// skewness and non-excess kurtosis, Minimum Track Record Length (against 0, 95%) and Minimum Backtest Length for N;
/// and the Probability of Backtest Overfitting by combinatorially symmetric cross-validation (Bailey, Borwein,
/// López de Prado and Zhu 2017) over every k-th trial plus the winner when the stage has more than the cap.
/// </summary>
public sealed class OverfittingAccumulator
{
    public const string ValuesOnly =
        "the stage's outcomes carry no backtest records (values only), so there are no per-period returns to test";

    private readonly OverfittingOptions _options;
    private readonly long _stride;
    private readonly List<double> _sharpes = [];
    private readonly List<TrialReturns> _sample = [];
    private TrialReturns? _winner;
    private long _offered;

    /// <param name="expectedTrials">About how many trials will be offered (the stage's completed count): sets the sampling stride.</param>
    public OverfittingAccumulator(OverfittingOptions options, long expectedTrials)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _stride = Math.Max(1, (long)Math.Ceiling(expectedTrials / (double)Math.Max(1, options.PboMaxTrials - 1)));
    }

    public void Offer(TrialReturns returns, bool isWinner)
    {
        ArgumentNullException.ThrowIfNull(returns);
        double sr = returns.Blocks.Total.SharpeRatio();
        if (double.IsFinite(sr))
        {
            _sharpes.Add(sr);
        }

        // Every k-th trial, keeping one place for the winner, which always enters.
        bool sampled = _offered++ % _stride == 0 && _sample.Count < _options.PboMaxTrials - 1;
        if (sampled || isWinner)
        {
            _sample.Add(returns);
        }

        if (isWinner)
        {
            _winner = returns;
        }
    }

    public OverfittingReport Build()
    {
        var unavailable = new List<string>();
        if (_winner is null)
        {
            string why = _sharpes.Count == 0 ? ValuesOnly : "the winner has no backtest record";
            unavailable.Add("winner statistics: " + why);
            unavailable.Add("probability of backtest overfitting: " + why);
            return new OverfittingReport(null, null, unavailable);
        }

        var stats = Winner(_winner, _sharpes, _options, unavailable);
        BacktestOverfittingResult? pbo = null;
        if (_sample.Count < 2)
        {
            unavailable.Add("probability of backtest overfitting: it needs at least 2 completed trials with records");
        }
        else
        {
            try
            {
                pbo = BacktestOverfitting.Estimate([.. _sample.Select(t => Merge(t.Blocks, _options.PboBlocks))], new BacktestOverfittingOptions(_options.PboBlocks));
            }
            catch (ArgumentException ex)
            {
                unavailable.Add("probability of backtest overfitting: " + ex.Message);
            }
        }

        return new OverfittingReport(stats, pbo, unavailable);
    }

    /// <summary>The statistics of <paramref name="winner"/> among trials whose per-period Sharpe ratios are <paramref name="sharpes"/> (N and V).</summary>
    public static WinnerStatistics Winner(TrialReturns winner, IReadOnlyList<double> sharpes, OverfittingOptions options, List<string> unavailable)
    {
        ArgumentNullException.ThrowIfNull(winner);
        ArgumentNullException.ThrowIfNull(sharpes);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(unavailable);
        var moments = ReturnMoments.FromSums(winner.Blocks.Total);
        double sr = moments.SharpeRatio();
        if (!double.IsFinite(sr))
        {
            unavailable.Add("winner statistics: the winner's returns are constant (it never traded), so its Sharpe ratio is undefined");
        }

        int n = Math.Max(1, sharpes.Count);
        double variance = SampleVariance(sharpes);
        double dsr = double.NaN, sr0 = double.NaN;
        if (n >= 2 && double.IsFinite(variance))
        {
            sr0 = SharpeStatistics.DeflatedSharpeThreshold(n, variance);
            dsr = SharpeStatistics.DeflatedSharpeRatio(moments, n, variance);
        }
        else
        {
            unavailable.Add("deflated Sharpe ratio: it needs at least 2 completed trials with records");
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

    private static double SampleVariance(IReadOnlyList<double> values)
    {
        if (values.Count < 2)
        {
            return double.NaN;
        }

        double mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
    }
}
