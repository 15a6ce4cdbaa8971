using OptimizerGrpc.Core.Methods.Tpe;
using OptimizerGrpc.Core.Randomness;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Tests.Methods.Tpe;

/// <summary>
/// Densities and bandwidths on tiny examples computed by hand (the expected logs were evaluated with Python's math.erfc
/// from the formulas in each comment; Optuna 3.1's _ParzenEstimator gives the same kernels).
/// </summary>
public sealed class ParzenEstimatorTests
{
    private static TpeCoding Coding(params ParameterDomain[] domains) =>
        new(new SearchSpace([.. domains.Select((d, i) => new SearchParameter($"p{i}", d))]));

    [Fact]
    public void Univariate_TwoObservations_NeighbourGapBandwidthsMagicClipAndPrior()
    {
        // [0, 10], observations 2 and 6, prior at 5. Sorted with the ends: 0 | 2 5 6 | 10. Gaps: 2 -> max(2, 3) but an
        // outermost kernel takes its inner gap, 3; 5 -> max(3, 1) = 3; 6 -> inner gap 1, clipped up to 10 / (1 + 3) = 2.5.
        // The prior's bandwidth is the range, 10.
        var coding = Coding(new FloatDomain(0, 10, null, false));
        var estimator = new ParzenEstimator(coding, [0], [[2.0], [6.0]], [1.0, 1.0], priorWeight: 1.0, multivariate: false);

        Assert.Equal(3, estimator.Kernels);
        Assert.Equal((2.0, 3.0), estimator.Kernel(0, 0));
        Assert.Equal((6.0, 2.5), estimator.Kernel(0, 1));
        Assert.Equal((5.0, 10.0), estimator.Kernel(0, 2));

        // log sum_c 1/3 phi((4 - mu_c) / s_c) / s_c / (Phi((10 - mu_c) / s_c) - Phi(-mu_c / s_c)).
        Assert.Equal(-2.091474819177876, estimator.LogPdf([4.0]), 12);
    }

    [Fact]
    public void Multivariate_Bandwidth_IsScottsRuleClippedFromBelow()
    {
        var coding = Coding(new FloatDomain(0, 1, null, false), new FloatDomain(0, 1, null, false));
        double[][] four = [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6], [0.7, 0.8]];

        // 0.2 * 4^(-1/6) = 0.1587 is below the clip 1 / min(100, 1 + 5 kernels) = 1/6.
        var small = new ParzenEstimator(coding, [0, 1], four, [1, 1, 1, 1], 1.0, multivariate: true);
        Assert.Equal(1.0 / 6, small.Kernel(1, 2).Sigma, 15);

        // 0.2 * 30^(-1/6) = 0.113460 is above 1/31.
        var thirty = Enumerable.Range(0, 30).Select(i => new[] { i / 30.0, 1 - (i / 30.0) }).ToArray();
        var large = new ParzenEstimator(coding, [0, 1], thirty, Enumerable.Repeat(1.0, 30).ToArray(), 1.0, multivariate: true);
        Assert.Equal(0.11346008899494893, large.Kernel(0, 7).Sigma, 14);
        Assert.Equal((0.5, 1.0), large.Kernel(0, 30));
    }

    [Fact]
    public void Discrete_MassesOfTheRoundingCells_MatchHandValuesAndSumToOne()
    {
        // Int 1..5 codes as index 0..4, truncated to [-0.5, 4.5]. One observation at index 2 and the prior at 2: the
        // observation's gaps are 0, clipped to 5 / (1 + 2) = 5/3; the prior's width is 5. Mass of k:
        // sum_c 1/2 (Phi((k + 0.5 - 2) / s_c) - Phi((k - 0.5 - 2) / s_c)) / (Phi(2.5 / s_c) - Phi(-2.5 / s_c)).
        var coding = Coding(new IntDomain(1, 5, 1));
        var estimator = new ParzenEstimator(coding, [0], [[2.0]], [1.0], 1.0, multivariate: false);
        double[] expected = [-1.809681173955867, -1.5313616199094855, -1.4266777102013852, -1.5313616199094857, -1.8096811739558667];
        double total = 0;
        for (int k = 0; k < 5; k++)
        {
            double log = estimator.LogPdf([k]);
            Assert.Equal(expected[k], log, 12);
            total += Math.Exp(log);
        }

        Assert.Equal(1.0, total, 12);
    }

    [Fact]
    public void Categorical_KernelsAddPriorMassToEveryChoice()
    {
        // Observations a, a, c of {a, b, c} and the prior: 4 kernels, each observation's row 1/4 on every choice plus 1 on
        // its own, normalised by 1.75; the prior's row uniform. P(a) = 1/4 (1.25/1.75 * 2 + 0.25/1.75 + 1/3) = 0.476190.
        var coding = Coding(new CategoricalDomain(["a", "b", "c"]));
        var estimator = new ParzenEstimator(coding, [0], [[0.0], [0.0], [2.0]], [1, 1, 1], 1.0, multivariate: false);

        Assert.Equal(Math.Log(0.47619047619047616), estimator.LogPdf([0.0]), 13);
        Assert.Equal([1.25 / 1.75, 0.25 / 1.75, 0.25 / 1.75], estimator.ChoiceProbabilities(0, 0), (a, b) => Math.Abs(a - b) < 1e-15);
        double sum = Enumerable.Range(0, 3).Sum(k => Math.Exp(estimator.LogPdf([k])));
        Assert.Equal(1.0, sum, 14);
    }

    [Fact]
    public void Sample_StaysInsideTheDomainAndOnTheGrid()
    {
        var coding = Coding(new FloatDomain(-1, 1, null, false), new IntDomain(0, 9, 3), new CategoricalDomain(["x", "y"]));
        var estimator = new ParzenEstimator(coding, [0, 1, 2], [[0.9, 3.0, 1.0], [-0.9, 0.0, 0.0]], [1, 1], 1.0, multivariate: true);
        var rng = new Xoshiro256StarStar(5);
        var x = new double[3];
        for (int i = 0; i < 2000; i++)
        {
            estimator.Sample(rng, x);
            Assert.InRange(x[0], -1, 1);
            Assert.Contains(x[1], new[] { 0.0, 1, 2, 3 });
            Assert.Contains(x[2], new[] { 0.0, 1 });
        }
    }
}
