using System.Runtime.CompilerServices;

namespace OptimizerGrpc.Core.Analysis.Overfitting;

/// <summary>
/// Probability of Backtest Overfitting by combinatorially symmetric cross-validation (CSCV): Bailey, Borwein,
/// López de Prado and Zhu, "The Probability of Backtest Overfitting", Journal of Computational Finance 20(4), 2017.
/// <para>
/// Every trial's returns over the same periods are cut into S blocks. For each of the C(S, S/2) ways to pick S/2
/// blocks as in-sample (the rest out of sample) the trial with the best in-sample Sharpe ratio is selected — the
/// lowest trial index on a tie — and its out-of-sample Sharpe ratio is ranked among all N trials': ω = rank / (N + 1)
/// with rank 1 the worst and tied trials sharing their average rank, λ = ln(ω / (1 − ω)). PBO is the share of splits
/// with λ ≤ 0. Sharpe ratios are per period with a risk-free rate of 0; a flat union (zero mean and variance) counts
/// as 0, a constant non-zero one as ±∞.
/// </para>
/// Cost: for each of the C(S, S/2)/2 complementary pairs of splits, S/2 + 1 vector additions over N trials' two
/// sums and 2N Sharpe ratios (<see cref="SplitSharpeTable"/>), then two O(N) scans; the pairs run in parallel.
/// </summary>
public static class BacktestOverfitting
{
    /// <param name="trials">Each trial's block summary, over the same periods; at least 2 trials, each with
    /// <see cref="BacktestOverfittingOptions.BlockCount"/> blocks.</param>
    public static BacktestOverfittingResult Estimate(IReadOnlyList<BlockReturns> trials, BacktestOverfittingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(trials);
        options ??= BacktestOverfittingOptions.Default;
        if (trials.Count < 2)
        {
            throw new ArgumentException($"Ranking needs at least 2 trials; got {trials.Count}.", nameof(trials));
        }

        for (int i = 0; i < trials.Count; i++)
        {
            if (trials[i] is not { } trial || trial.BlockCount != options.BlockCount)
            {
                throw new ArgumentException(
                    $"Trial {i} must have {options.BlockCount} blocks, as the options say; got {trials[i]?.BlockCount.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"}.", nameof(trials));
            }

            for (int b = 0; b < trial.BlockCount; b++)
            {
                if (trial[b].Count != trials[0][b].Count)
                {
                    throw new ArgumentException(
                        $"The trials must cover the same periods: block {b} of trial {i} holds {trial[b].Count} returns, of trial 0 {trials[0][b].Count}.", nameof(trials));
                }
            }
        }

        var table = new SplitSharpeTable(trials, options.BlockCount);
        int[] masks = Combinations(options.BlockCount, options.BlockCount / 2);
        var splits = new CscvSplit[masks.Length];

        // Masks of one popcount ascend as their complements descend, so split c and split C − 1 − c swap in- and
        // out-of-sample: one pass over the trials serves both.
        Parallel.For(
            0,
            masks.Length / 2,
            () => new SplitSharpeTable.Workspace(trials.Count),
            (c, _, workspace) =>
            {
                table.Fill(masks[c], workspace);
                splits[c] = Select(masks[c], workspace.InSample, workspace.OutOfSample);
                splits[masks.Length - 1 - c] = Select(masks[masks.Length - 1 - c], workspace.OutOfSample, workspace.InSample);
                return workspace;
            },
            _ => { });
        return Summarize(trials.Count, options, splits);
    }

    // The in-sample winner (lowest index on a tie) and its out-of-sample rank.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static CscvSplit Select(int mask, double[] inSample, double[] outOfSample)
    {
        int selected = 0;
        double best = inSample[0];
        for (int i = 1; i < inSample.Length; i++)
        {
            if (inSample[i] > best)
            {
                (selected, best) = (i, inSample[i]);
            }
        }

        double selectedOutOfSample = outOfSample[selected];
        int below = 0, tied = 0;
        foreach (double sharpe in outOfSample)
        {
            below += sharpe < selectedOutOfSample ? 1 : 0;
            tied += sharpe == selectedOutOfSample ? 1 : 0;
        }

        int n = inSample.Length;
        double omega = (below + ((tied + 1) / 2.0)) / (n + 1);
        return new(mask, selected, best, selectedOutOfSample, omega, Math.Log(omega / (1 - omega)));
    }

    private static BacktestOverfittingResult Summarize(int trials, BacktestOverfittingOptions options, CscvSplit[] splits)
    {
        int overfit = 0, losses = 0;
        double meanIn = 0, meanOut = 0;
        foreach (var split in splits)
        {
            overfit += split.Logit <= 0 ? 1 : 0;
            losses += split.OutOfSampleSharpe < 0 ? 1 : 0;
            meanIn += split.InSampleSharpe;
            meanOut += split.OutOfSampleSharpe;
        }

        meanIn /= splits.Length;
        meanOut /= splits.Length;
        double sxy = 0, sxx = 0;
        foreach (var split in splits)
        {
            double dx = split.InSampleSharpe - meanIn;
            sxy += dx * (split.OutOfSampleSharpe - meanOut);
            sxx += dx * dx;
        }

        double slope = sxx > 0 ? sxy / sxx : double.NaN;
        return new(
            trials,
            options.BlockCount,
            (double)overfit / splits.Length,
            (double)losses / splits.Length,
            slope,
            meanOut - (slope * meanIn),
            Histogram(splits, trials, options.HistogramBins),
            splits);
    }

    private static LogitHistogram Histogram(CscvSplit[] splits, int trials, int bins)
    {
        double bound = Math.Log(trials);
        var edges = new double[bins + 1];
        for (int k = 0; k <= bins; k++)
        {
            edges[k] = -bound + (2 * bound * k / bins);
        }

        (edges[0], edges[bins / 2], edges[bins]) = (-bound, 0, bound);
        var counts = new int[bins];
        foreach (var split in splits)
        {
            // The first k with λ ≤ edges[k + 1]; the logit never exceeds ln N, and the last bin takes any rounding.
            int bin = Array.BinarySearch(edges, 1, bins, split.Logit);
            bin = bin >= 0 ? bin - 1 : Math.Min(~bin, bins) - 1;
            counts[Math.Clamp(bin, 0, bins - 1)]++;
        }

        return new(edges, counts);
    }

    /// <summary>All subsets of size <paramref name="k"/> of <paramref name="n"/> bits, ascending (Gosper's hack).</summary>
    internal static int[] Combinations(int n, int k)
    {
        var masks = new List<int>();
        int limit = 1 << n;
        for (int mask = (1 << k) - 1; mask < limit;)
        {
            masks.Add(mask);
            int lowest = mask & -mask;
            int ripple = mask + lowest;
            mask = ripple | (((mask ^ ripple) >> 2) / lowest);
        }

        return [.. masks];
    }
}
