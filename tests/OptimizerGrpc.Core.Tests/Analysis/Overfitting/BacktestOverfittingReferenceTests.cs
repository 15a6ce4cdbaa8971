using OptimizerGrpc.Core.Analysis.Overfitting;

namespace OptimizerGrpc.Core.Tests.Analysis.Overfitting;

/// <summary>CSCV on a small hand-made matrix against a naive implementation written from the paper's steps.</summary>
public sealed class BacktestOverfittingReferenceTests
{
    // N = 4 trials × S = 4 blocks of 5 returns each, given as (Σr, Σr²); the higher sums do not enter CSCV.
    private static readonly (double Sum, double Squares)[][] Matrix =
    [
        [(1.0, 2.0), (-0.5, 1.5), (0.8, 1.0), (0.2, 2.5)],
        [(0.3, 1.2), (0.9, 1.1), (-0.4, 0.9), (0.6, 1.8)],
        [(-0.2, 0.7), (0.4, 2.2), (1.1, 1.6), (-0.7, 1.3)],
        [(0.5, 0.8), (0.1, 0.6), (0.2, 1.4), (0.9, 2.0)],
    ];

    private static List<BlockReturns> Trials() =>
        Matrix.Select(row => BlockReturns.FromBlocks(row.Select(block => new ReturnSums(5, block.Sum, block.Squares, 0, 0)))).ToList();

    [Fact]
    public void Estimate_SmallMatrix_MatchesNaiveCombinatorialComputation()
    {
        var expected = Naive(Trials(), blockCount: 4);

        var actual = BacktestOverfitting.Estimate(Trials(), new BacktestOverfittingOptions(BlockCount: 4));

        Assert.Equal(expected.Splits.Select(s => (s.InSampleBlocks, s.SelectedTrial)), actual.Splits.Select(s => (s.InSampleBlocks, s.SelectedTrial)));
        foreach (var (want, got) in expected.Splits.Zip(actual.Splits))
        {
            Assert.Equal(want.InSampleSharpe, got.InSampleSharpe, 1e-12);
            Assert.Equal(want.OutOfSampleSharpe, got.OutOfSampleSharpe, 1e-12);
            Assert.Equal(want.RelativeRank, got.RelativeRank, 1e-12);
            Assert.Equal(want.Logit, got.Logit, 1e-12);
        }

        Assert.Equal(expected.Probability, actual.Probability);
        Assert.Equal(expected.ProbabilityOfLoss, actual.ProbabilityOfLoss);
        Assert.Equal(expected.DegradationSlope, actual.DegradationSlope, 1e-12);
        Assert.Equal(expected.DegradationIntercept, actual.DegradationIntercept, 1e-12);
    }

    [Fact]
    public void Estimate_SmallMatrix_GivesIndependentlyComputedValues()
    {
        // Computed separately in Python from the same matrix: winners 1, 0, 2, 3, 1, 3 on the in-sample pairs
        // {0,1}, {0,2}, {1,2}, {0,3}, {1,3}, {2,3}; only the last one's winner beats the out-of-sample median, and three
        // winners lose money out of sample.
        var result = BacktestOverfitting.Estimate(Trials(), new BacktestOverfittingOptions(BlockCount: 4));

        Assert.Equal((4, 4), (result.TrialCount, result.BlockCount));
        Assert.Equal([3, 5, 6, 9, 10, 12], result.Splits.Select(s => s.InSampleBlocks));
        Assert.Equal([1, 0, 2, 3, 1, 3], result.Splits.Select(s => s.SelectedTrial));
        Assert.Equal(5.0 / 6, result.Probability, 15);
        Assert.Equal(0.5, result.ProbabilityOfLoss, 15);
        Assert.Equal(0.24517609437743804, result.Splits[0].InSampleSharpe, 1e-14);
        Assert.Equal(0.03654191528505719, result.Splits[0].OutOfSampleSharpe, 1e-14);
    }

    // The paper's steps, one at a time, with no attempt at speed: every S/2-subset of blocks in sample, the union
    // sums by LINQ, Sharpe ratios from the sums, the best in-sample trial (first maximum), its average out-of-sample
    // rank, the logit; then the shares and an ordinary least-squares line.
    private static BacktestOverfittingResult Naive(IReadOnlyList<BlockReturns> trials, int blockCount)
    {
        int n = trials.Count;
        var subsets = Enumerable.Range(0, 1 << blockCount)
            .Where(mask => Enumerable.Range(0, blockCount).Count(b => (mask & (1 << b)) != 0) == blockCount / 2);
        var splits = new List<CscvSplit>();
        foreach (int mask in subsets)
        {
            double Sharpe(BlockReturns trial, bool inSample)
            {
                var sums = Enumerable.Range(0, blockCount)
                    .Where(b => ((mask & (1 << b)) != 0) == inSample)
                    .Select(b => trial[b])
                    .Aggregate(ReturnSums.Empty, (a, b) => a + b);
                double mean = sums.Sum / sums.Count;
                double variance = (sums.SumOfSquares - (sums.Count * mean * mean)) / (sums.Count - 1);
                return mean / Math.Sqrt(variance);
            }

            var inSample = trials.Select(t => Sharpe(t, true)).ToList();
            var outOfSample = trials.Select(t => Sharpe(t, false)).ToList();
            int best = inSample.IndexOf(inSample.Max());
            double below = outOfSample.Count(s => s < outOfSample[best]);
            double tied = outOfSample.Count(s => s == outOfSample[best]);
            double omega = (below + ((tied + 1) / 2)) / (n + 1);
            splits.Add(new(mask, best, inSample[best], outOfSample[best], omega, Math.Log(omega / (1 - omega))));
        }

        double meanIn = splits.Average(s => s.InSampleSharpe), meanOut = splits.Average(s => s.OutOfSampleSharpe);
        double slope = splits.Sum(s => (s.InSampleSharpe - meanIn) * (s.OutOfSampleSharpe - meanOut))
            / splits.Sum(s => Math.Pow(s.InSampleSharpe - meanIn, 2));
        return new(
            n,
            blockCount,
            splits.Average(s => s.Logit <= 0 ? 1.0 : 0.0),
            splits.Average(s => s.OutOfSampleSharpe < 0 ? 1.0 : 0.0),
            slope,
            meanOut - (slope * meanIn),
            new LogitHistogram([], []),
            splits);
    }
}
