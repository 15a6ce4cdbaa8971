using OptimizerGrpc.Core.Analysis.Overfitting;
using OptimizerGrpc.Core.Randomness;

namespace OptimizerGrpc.Core.Tests.Analysis.Overfitting;

public sealed class BacktestOverfittingTests
{
    // A skilled series: every block and every union of blocks has mean 1.5 and standard deviation about 0.5.
    private static readonly double[] Good = [1, 2, 1, 2];
    private static readonly double[] Bad = [-1, -2, -1, -2];

    [Fact]
    public void Estimate_PureNoise_IsAboutOneHalf()
    {
        // With no skill anywhere the in-sample winner is a random trial out of sample, so PBO is 0.5 in expectation
        // (the paper's Monte Carlo). One noise matrix scatters widely around it (0.12 to 0.86 over 30 seeds of this
        // size, since all 12,870 splits share the same data), so the test averages 20 fixed seeds.
        var estimates = new List<double>();
        for (ulong seed = 1; seed <= 20; seed++)
        {
            var rng = new Xoshiro256StarStar(seed);
            var trials = Enumerable.Range(0, 50)
                .Select(_ => BlockReturns.FromReturns(Enumerable.Range(0, 800).Select(_ => 0.01 * rng.NextGaussian()).ToArray()))
                .ToList();

            var result = BacktestOverfitting.Estimate(trials);

            Assert.Equal(12_870, result.Splits.Count);
            estimates.Add(result.Probability);
        }

        Assert.InRange(estimates.Average(), 0.35, 0.65);
    }

    [Fact]
    public void Estimate_OneTrialBestInEveryBlock_IsZero()
    {
        var rng = new Xoshiro256StarStar(3);
        var trials = Enumerable.Range(0, 9)
            .Select(_ => BlockReturns.FromReturns(Enumerable.Range(0, 64).Select(_ => rng.NextGaussian()).ToArray()))
            .Append(BlockReturns.FromReturns(Enumerable.Repeat(Good, 16).SelectMany(r => r).ToArray()))
            .ToList();

        var result = BacktestOverfitting.Estimate(trials);

        Assert.Equal(0, result.Probability);
        Assert.Equal(0, result.ProbabilityOfLoss);
        Assert.All(result.Splits, split => Assert.Equal(9, split.SelectedTrial));
        Assert.All(result.Splits, split => Assert.Equal(Math.Log(10), split.Logit, 12));
    }

    [Fact]
    public void Estimate_InSampleWinnersLoseOutOfSample_IsOne()
    {
        // Engineered reversal, S = 6: one trial per 3-block subset A, good (mean +1.5) in the blocks of A and bad
        // (mean −1.5) in the others. A union's Sharpe ratio rises with its share of good blocks, so on the split whose
        // in-sample blocks are A the trial of A is the only one good throughout in sample — it wins — and the only one
        // bad throughout out of sample, where every other trial has at least one good block: it ranks last.
        int[] subsets = BacktestOverfitting.Combinations(6, 3);
        var trials = subsets
            .Select(mask => BlockReturns.FromReturns(
                Enumerable.Range(0, 6).SelectMany(b => (mask & (1 << b)) != 0 ? Good : Bad).ToArray(), blockCount: 6))
            .ToList();

        var result = BacktestOverfitting.Estimate(trials, new BacktestOverfittingOptions(BlockCount: 6));

        Assert.Equal(1, result.Probability);
        Assert.Equal(1, result.ProbabilityOfLoss);
        Assert.All(result.Splits, split => Assert.Equal(subsets[split.SelectedTrial], split.InSampleBlocks));
        Assert.All(result.Splits, split => Assert.Equal(1.0 / 21, split.RelativeRank, 15));
        Assert.All(result.Splits, split => Assert.Equal(-Math.Log(20), split.Logit, 12));
    }

    [Fact]
    public void Estimate_IdenticalTrials_LowestIndexWinsAndTiesShareTheMiddleRank()
    {
        double[] returns = [0.5, 1.5, -0.2, 0.7, 1.1, -0.4, 0.9, 0.3];
        var trial = BlockReturns.FromReturns(returns, blockCount: 2);

        var result = BacktestOverfitting.Estimate([trial, trial, trial], new BacktestOverfittingOptions(BlockCount: 2));

        // Ranks 1, 2, 3 average to 2: ω = 2/4, λ = 0, which counts as overfit.
        Assert.All(result.Splits, split => Assert.Equal(0, split.SelectedTrial));
        Assert.All(result.Splits, split => Assert.Equal(0.5, split.RelativeRank));
        Assert.Equal(1, result.Probability);
    }

    [Fact]
    public void Histogram_Noise_CountsEverySplitAndTheLeftHalfIsPbo()
    {
        var rng = new Xoshiro256StarStar(5);
        var trials = Enumerable.Range(0, 20)
            .Select(_ => BlockReturns.FromReturns(Enumerable.Range(0, 200).Select(_ => rng.NextGaussian()).ToArray(), blockCount: 8))
            .ToList();

        var result = BacktestOverfitting.Estimate(trials, new BacktestOverfittingOptions(BlockCount: 8, HistogramBins: 10));
        var histogram = result.Histogram;

        Assert.Equal(11, histogram.Edges.Count);
        Assert.Equal(-Math.Log(20), histogram.Edges[0]);
        Assert.Equal(0, histogram.Edges[5]);
        Assert.Equal(Math.Log(20), histogram.Edges[10]);
        Assert.Equal(70, histogram.Counts.Sum());
        Assert.Equal(result.Splits.Count(s => s.Logit <= 0), histogram.Counts.Take(5).Sum());
        for (int k = 0; k < 10; k++)
        {
            double lower = histogram.Edges[k], upper = histogram.Edges[k + 1];
            Assert.Equal(result.Splits.Count(s => (s.Logit > lower || k == 0) && s.Logit <= upper), histogram.Counts[k]);
        }
    }

    [Fact]
    public void Combinations_SixteenChooseEight_AscendAndPairWithComplements()
    {
        int[] masks = BacktestOverfitting.Combinations(16, 8);

        Assert.Equal(12_870, masks.Length);
        Assert.All(masks, mask => Assert.Equal(8, System.Numerics.BitOperations.PopCount((uint)mask)));
        Assert.True(masks.Zip(masks.Skip(1)).All(pair => pair.First < pair.Second));
        Assert.All(Enumerable.Range(0, masks.Length), c => Assert.Equal(0xFFFF, masks[c] ^ masks[masks.Length - 1 - c]));
    }

    [Fact]
    public void Estimate_TrialWithOtherBlockCount_Throws()
    {
        var sixteen = BlockReturns.FromReturns(new double[64]);
        var eight = BlockReturns.FromReturns(new double[64], blockCount: 8);

        var error = Assert.Throws<ArgumentException>(() => BacktestOverfitting.Estimate([sixteen, eight]));

        Assert.Contains("Trial 1 must have 16 blocks", error.Message);
    }

    [Fact]
    public void Estimate_TrialsOverDifferentPeriods_Throws()
    {
        var shorter = BlockReturns.FromReturns(new double[64], blockCount: 4);
        var longer = BlockReturns.FromReturns(new double[66], blockCount: 4);

        var error = Assert.Throws<ArgumentException>(() => BacktestOverfitting.Estimate([shorter, longer], new(BlockCount: 4)));

        Assert.Contains("same periods", error.Message);
    }

    [Fact]
    public void Estimate_OneTrial_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => BacktestOverfitting.Estimate([BlockReturns.FromReturns(new double[64])]));

        Assert.Contains("at least 2 trials", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(26)]
    public void Options_BlockCountOddOrOutOfRange_StatesTheRange(int blockCount)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new BacktestOverfittingOptions(BlockCount: blockCount));

        Assert.Contains("BlockCount must be even and in the range [2, 24]", error.Message);
    }

    [Fact]
    public void Options_OddHistogramBins_StatesTheRange()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => BacktestOverfittingOptions.Default with { HistogramBins = 7 });

        Assert.Contains("HistogramBins must be even and in the range [2, 200]", error.Message);
    }
}
