using OptimizerGrpc.Core.Analysis.Overfitting;

namespace OptimizerGrpc.Core.Analysis;

/// <summary>Walk-forward windows summarised: efficiency per window, profitable share, the stitched out-of-sample
/// statistics and parameter drift.</summary>
public sealed record WalkForwardReport(
    IReadOnlyList<double> WindowEfficiency,
    double ProfitableWindowShare,
    WinnerStatistics? Stitched,
    IReadOnlyDictionary<string, double> ParameterDrift,
    IReadOnlyList<string> Unavailable)
{
    /// <summary>The most values of <see cref="StitchedEquity"/>.</summary>
    public const int MaxEquityPoints = 2000;

    /// <summary>The stitched out-of-sample equity curve, sampled evenly to at most <see cref="MaxEquityPoints"/> values (last value kept).</summary>
    public IReadOnlyList<double> StitchedEquity { get; init; } = [];
}

/// <summary>
/// Per window, the efficiency (out-of-sample annualised return over in-sample annualised return of the window's winner;
/// Pardo 2008), NaN when either is missing or the in-sample one is 0; across windows the share of profitable
/// out-of-sample windows, the stitched out-of-sample curve's Sharpe ratio with its PSR and DSR (N and V from the
/// in-sample trials, which are what the windows' winners were selected from), and each numeric parameter's drift (its
/// coefficient of variation across the windows' winners).
/// </summary>
public static class WalkForwardReports
{
    /// <param name="inSampleSharpes">The per-period Sharpe ratios of the in-sample trials (N and V of the stitched DSR).</param>
    public static WalkForwardReport Build(WalkForwardSummary summary, IReadOnlyList<double> inSampleSharpes, OverfittingOptions options)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(inSampleSharpes);
        var efficiency = summary.Windows.Select(w =>
            w.InSampleMetrics is { } ins && w.OutOfSampleMetrics is { } oos
            && ins.TryGetValue("annualized_return", out double a) && oos.TryGetValue("annualized_return", out double b) && a != 0
                ? b / a
                : double.NaN).ToList();
        var unavailable = new List<string>();
        WinnerStatistics? stitched = null;
        if (ScoredReturns.Summarize(summary.StitchedEquity, null, null) is { } returns)
        {
            stitched = OverfittingAccumulator.Winner(returns, inSampleSharpes, options, unavailable);
        }
        else
        {
            unavailable.Add($"stitched statistics: the stitched out-of-sample curve has {summary.StitchedEquity.Count - 1} returns; they need {2 * ScoredReturns.StoredBlocks}");
        }

        return new WalkForwardReport(efficiency, summary.ProfitableWindowShare, stitched, summary.ParameterStability, unavailable)
        {
            StitchedEquity = Sample(summary.StitchedEquity, WalkForwardReport.MaxEquityPoints),
        };
    }

    // Every stride-th value and the last one, so a long curve keeps its shape and its final value.
    private static double[] Sample(IReadOnlyList<double> values, int max)
    {
        if (values.Count <= max)
        {
            return [.. values];
        }

        int stride = (values.Count + max - 2) / (max - 1);
        var sampled = Enumerable.Range(0, ((values.Count - 1) / stride) + 1).Select(i => values[i * stride]).ToList();
        if ((values.Count - 1) % stride != 0)
        {
            sampled.Add(values[^1]);
        }

        return [.. sampled];
    }
}
