using OptimizerGrpc.Core.Methods.Bayesian;
using OptimizerGrpc.Core.Methods;

namespace OptimizerGrpc.Core.Tests.Methods.Bayesian;

public sealed class BayesianNumericsTests
{
    // A = L L^T with L = [[2,0,0],[6,1,0],[-8,5,3]], the textbook example; b = A [1, 2, 3].
    private static readonly double[] A = [4, 12, -16, 12, 37, -43, -16, -43, 98];

    [Fact]
    public void Factor_3x3_GivesHandComputedFactor()
    {
        var a = (double[])A.Clone();

        Assert.True(DenseCholesky.Factor(a, 3, 3));

        double[] expectedLower = [2, 6, 1, -8, 5, 3];
        double[] actualLower = [a[0], a[3], a[4], a[6], a[7], a[8]];
        Assert.Equal(expectedLower, actualLower);
    }

    [Fact]
    public void SolveLower_ThenTransposed_SolvesTheSystem()
    {
        var l = (double[])A.Clone();
        DenseCholesky.Factor(l, 3, 3);
        double[] b = [-20, -43, 192];

        DenseCholesky.SolveLower(l, 3, 3, b);
        Assert.Equal([-10.0, 17.0, 9.0], b);

        DenseCholesky.SolveLowerTransposed(l, 3, 3, b);
        Assert.Equal([1.0, 2.0, 3.0], b);
    }

    [Fact]
    public void Factor_WithStride_ReadsOnlyTheLowerTriangleOfEachRow()
    {
        // 3x3 in a 4-wide buffer; the upper triangle and the padding hold garbage that must be ignored.
        double[] a = [4, 99, 99, 99, 12, 37, 99, 99, -16, -43, 98, 99];

        Assert.True(DenseCholesky.Factor(a, 3, 4));

        Assert.Equal([2.0, 6.0, 1.0, -8.0, 5.0, 3.0], [a[0], a[4], a[5], a[8], a[9], a[10]]);
    }

    [Fact]
    public void Factor_NotPositiveDefinite_ReturnsFalse()
    {
        double[] a = [1, 2, 2, 1];

        Assert.False(DenseCholesky.Factor(a, 2, 2));
    }

    [Fact]
    public void Matern52_AtZeroAndOne_MatchesTheFormula()
    {
        // k(r) = s2 (1 + sqrt5 r + 5 r^2 / 3) exp(-sqrt5 r); s2 = 2.
        Assert.Equal(2.0, MaternKernel.FromSquaredDistance(0, 2.0));
        double expected = 2.0 * (1 + Math.Sqrt(5) + (5.0 / 3.0)) * Math.Exp(-Math.Sqrt(5));
        Assert.Equal(expected, MaternKernel.FromSquaredDistance(1, 2.0), 15);
        Assert.Equal(1.0479882176636406, MaternKernel.FromSquaredDistance(1, 2.0), 14);
    }

    [Theory]
    [InlineData(3.0)]
    [InlineData(1.0)]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(-1.5)]
    [InlineData(-3.0)]
    [InlineData(-5.0)]
    public void LogH_WhereEiIsComputable_EqualsLogOfEi(double z)
    {
        double direct = Math.Log(Acquisition.H(z));

        Assert.Equal(direct, Acquisition.LogH(z), 6);
    }

    [Theory]
    [InlineData(-40.0)]
    [InlineData(-1e3)]
    [InlineData(-1e9)]
    public void LogH_WhereEiUnderflows_StaysFiniteAndFollowsTheAsymptote(double z)
    {
        Assert.Equal(0.0, Acquisition.H(z));

        double logH = Acquisition.LogH(z);

        // h(z) ~ phi(z) / z^2 (1 - 3 / z^2) for z -> -inf (Mills ratio expansion).
        double asymptote = (-0.5 * z * z) - (0.5 * Math.Log(2 * Math.PI)) - (2 * Math.Log(-z)) + Math.Log(1 - (3 / (z * z)));
        Assert.True(double.IsFinite(logH));
        Assert.Equal(1.0, logH / asymptote, 6);
    }

    [Fact]
    public void LogH_IsIncreasingAcrossTheBranchBoundaries()
    {
        double previous = double.NegativeInfinity;
        for (double z = -50; z <= 5; z += 0.01)
        {
            double v = Acquisition.LogH(z);
            Assert.True(v > previous, $"log h not increasing at z = {z}");
            previous = v;
        }
    }

    [Fact]
    public void Evaluate_Ucb_IsMeanPlusSqrtBetaSigma()
    {
        Assert.Equal(1.0 + (2.0 * 0.5), Acquisition.Evaluate(BayesianAcquisition.UpperConfidenceBound, 1.0, 0.5, 0, 4.0), 12);
    }

    [Fact]
    public void Predict_NoiselessGp_InterpolatesTrainingPoints()
    {
        double[] x = [0.1, 0.2, 0.9, 0.4, 0.5, 0.5, 0.3, 0.8, 0.7, 0.1];
        double[] y = [1.0, -0.5, 0.3, 2.0, -1.2];
        var gp = new GaussianProcess(2);
        double[] theta = [Math.Log(0.3), Math.Log(0.3), 0, Math.Log(1e-10)];

        Assert.True(gp.Condition(theta, x, y, 5, 5));
        var mean = new double[5];
        var variance = new double[5];
        gp.Predict(x, 5, mean, variance);

        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(y[i], mean[i], 6);
            Assert.InRange(variance[i], 0, 1e-6);
        }
    }

    [Fact]
    public void Predict_FarFromData_RevertsToThePrior()
    {
        var gp = new GaussianProcess(1);
        double[] theta = [Math.Log(0.05), 0, Math.Log(1e-6)];
        gp.Condition(theta, [0.0], [1.5], 1, 1);
        var mean = new double[1];
        var variance = new double[1];

        gp.Predict([1.0], 1, mean, variance);

        Assert.Equal(0.0, mean[0], 10);
        Assert.Equal(1.0, variance[0], 10);
    }

    [Fact]
    public void AppendFantasy_KeepsTheMeanAndShrinksTheVarianceThere()
    {
        var gp = new GaussianProcess(1);
        double[] theta = [Math.Log(0.2), 0, Math.Log(1e-6)];
        gp.Condition(theta, [0.1, 0.9], [1.0, -1.0], 2, 3);
        var before = (new double[1], new double[1]);
        var after = (new double[1], new double[1]);
        gp.Predict([0.5], 1, before.Item1, before.Item2);

        gp.AppendFantasy([0.5]);
        gp.Predict([0.5], 1, after.Item1, after.Item2);

        Assert.Equal(before.Item1[0], after.Item1[0], 9);
        Assert.True(after.Item2[0] < 1e-5 && before.Item2[0] > 0.1);
    }

    [Fact]
    public void Select_OverCap_KeepsBestHalfAndMostRecent()
    {
        double[] values = [5, 1, 9, 2, 8, 3, 0, 4];

        var selected = TrainingSet.Select(values, 8, 4);

        // Best two: indices 2 (9) and 4 (8); most recent others: 7 and 6.
        Assert.Equal([2, 4, 6, 7], selected);
    }
}
