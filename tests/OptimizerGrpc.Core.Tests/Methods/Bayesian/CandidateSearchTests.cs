using OptimizerGrpc.Core.Methods.Bayesian;
using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Randomness;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Tests.Methods.Bayesian;

public sealed class CandidateSearchTests
{
    private const int Dims = 4;

    [Fact]
    public void PredictBound_OneTrainingPoint_IsTheExactVarianceAndTheSameMean()
    {
        // One observation at 0.2, candidate at 0.7, length 0.5 (r = 1), signal 2, noise 0.01:
        // k = 2 (1 + sqrt5 + 5/3) exp(-sqrt5) = 1.0479882176636408, variance = 2 - k^2 / 2.01 = 1.4535923858896442.
        var gp = new GaussianProcess(1);
        double[] theta = [Math.Log(0.5), Math.Log(2), Math.Log(0.01)];
        Assert.True(gp.Condition(theta, [0.2], [1.0], 1, 1));
        var mean = new double[1];
        var variance = new double[1];
        var boundMean = new double[1];
        var bound = new double[1];

        gp.Predict([0.7], 1, mean, variance);
        gp.PredictBound([0.7], 1, boundMean, bound);

        Assert.Equal(1.4535923858896442, variance[0], 12);
        Assert.Equal(1.4535923858896442, bound[0], 12);
        Assert.Equal(mean[0], boundMean[0]);
    }

    [Fact]
    public void PredictBound_ManyPoints_BoundsTheVarianceWithTheSameMean()
    {
        var gp = Conditioned(300, out _, out _);
        var candidates = Uniform(new Xoshiro256StarStar(9), 500);
        var (mean, variance) = (new double[500], new double[500]);
        var (boundMean, bound) = (new double[500], new double[500]);

        gp.Predict(candidates, 500, mean, variance);
        gp.PredictBound(candidates, 500, boundMean, bound);

        Assert.Equal(mean, boundMean);
        for (int c = 0; c < 500; c++)
        {
            Assert.True(variance[c] <= bound[c], $"candidate {c}: variance {variance[c]} above its bound {bound[c]}");
        }
    }

    [Fact]
    public void Predict_ACandidateScoresTheSameInAnyBlock()
    {
        // Bounded scoring regroups candidates into new blocks; each must come out bit-identical.
        var gp = Conditioned(200, out _, out _);
        var candidates = Uniform(new Xoshiro256StarStar(4), 300);
        var (mean, variance) = (new double[300], new double[300]);
        gp.Predict(candidates, 300, mean, variance);

        foreach (int c in (int[])[0, 5, 130, 299])
        {
            var (m1, v1) = (new double[1], new double[1]);
            gp.Predict(candidates.AsSpan(c * Dims, Dims), 1, m1, v1);
            Assert.Equal(mean[c], m1[0]);
            Assert.Equal(variance[c], v1[0]);
        }
    }

    [Theory]
    [InlineData(BayesianAcquisition.LogExpectedImprovement)]
    [InlineData(BayesianAcquisition.ExpectedImprovement)]
    [InlineData(BayesianAcquisition.UpperConfidenceBound)]
    public void TryMaximize_Bounded_PicksWhatScoringEveryCandidatePicks(BayesianAcquisition acquisition)
    {
        var space = new SearchSpace([.. Enumerable.Range(0, Dims).Select(i => new SearchParameter($"t.x{i}", new FloatDomain(0, 1, null, false)))]);
        var encoding = new UnitCubeEncoding(space);
        var settings = new BayesianSettings(Acquisition: acquisition);
        for (int seed = 0; seed < 4; seed++)
        {
            var gp = Conditioned(250 + (50 * seed), out var training, out _);
            var bounded = new CandidateSearch(encoding, gp, null, settings, Dims);
            var full = new CandidateSearch(encoding, gp, null, settings, Dims, bounded: false);
            var (a, b) = (new double[Dims], new double[Dims]);

            Assert.True(bounded.TryMaximize(new Xoshiro256StarStar((ulong)seed), training, a));
            Assert.True(full.TryMaximize(new Xoshiro256StarStar((ulong)seed), training, b));

            Assert.Equal(b, a);
        }
    }

    // A GP on n points of a smooth function of the unit cube, with default hyperparameters.
    private static GaussianProcess Conditioned(int n, out TrainingSet training, out double[] x)
    {
        var rng = new Xoshiro256StarStar((ulong)n);
        x = Uniform(rng, n);
        var observed = new List<ObservedPoint>();
        for (int i = 0; i < n; i++)
        {
            var p = x.AsSpan(i * Dims, Dims).ToArray();
            observed.Add(new ObservedPoint(p, -p.Sum(v => (v - 0.3) * (v - 0.3)), ObservationKind.Completed));
        }

        training = new TrainingSet(Dims);
        training.Build(observed, 500);
        var gp = new GaussianProcess(Dims);
        Assert.True(gp.Condition(HyperparameterFit.Default(Dims), training.X, training.Y, training.Count, training.Count));
        return gp;
    }

    private static double[] Uniform(Xoshiro256StarStar rng, int n)
    {
        var x = new double[n * Dims];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = rng.NextDouble();
        }

        return x;
    }
}
