using OptimizerGrpc.Core.Methods.Bayesian;

namespace OptimizerGrpc.Core.Tests.Methods.Bayesian;

public sealed class YeoJohnsonTests
{
    [Theory]
    [InlineData(3.0, 0.5, 2.0)] // ((3 + 1)^0.5 - 1) / 0.5
    [InlineData(-3.0, 0.5, -14.0 / 3)] // -((1 + 3)^1.5 - 1) / 1.5
    [InlineData(1.5, 1.0, 1.5)] // λ = 1 is the identity
    [InlineData(-1.5, 1.0, -1.5)]
    [InlineData(0.0, -2.0, 0.0)]
    public void Transform_HandComputedValues(double y, double lambda, double expected) =>
        Assert.Equal(expected, YeoJohnson.Transform(y, lambda), 12);

    [Fact]
    public void Transform_AtTheSingularLambdas_IsTheLogarithm()
    {
        Assert.Equal(Math.Log(3.5), YeoJohnson.Transform(2.5, 0), 12);
        Assert.Equal(-Math.Log(3.5), YeoJohnson.Transform(-2.5, 2), 12);
        Assert.Equal(Math.Log(3.5), YeoJohnson.Transform(2.5, 1e-13), 10);
    }

    [Fact]
    public void Transform_IsIncreasingForEveryLambda()
    {
        double[] ys = [-20, -3, -0.5, 0, 0.1, 2, 40];
        foreach (double lambda in new[] { -3, -1, 0, 0.5, 1, 2, 3 })
        {
            var t = ys.Select(y => YeoJohnson.Transform(y, lambda)).ToArray();
            Assert.True(t.Zip(t.Skip(1)).All(p => p.First < p.Second), $"not increasing at λ = {lambda}");
        }
    }

    // Reference values from scipy 1.10.1: scipy.stats.yeojohnson(y) (λ by Brent's method on the log-likelihood) and
    // scipy.stats.yeojohnson_llf(λ, y).
    public static TheoryData<double[], double, double, double> Scipy => new()
    {
        { [7.698, 0.078, 1.519, 0.567, 0.636, 0.806, 0.133, 0.793, 0.421, 27.743, 1.253, 0.703], -1.081716468501589, -4.47368463, -15.58466544 },
        { [-2.5, -1.0, -0.3, 0.0, 0.4, 0.9, 1.7, 3.2, 6.5, 12.0], 0.4758848207816723, -11.40214159, -11.4082841 },
        { [-9.0, -4.0, -1.5, -0.5, 0.0, 0.2, 0.5, 0.7, 0.9, 1.0], 2.1879115160830303, -4.36287602, -17.0110148 },
    };

    [Theory]
    [MemberData(nameof(Scipy))]
    public void FitLambda_MatchesScipysMaximumLikelihoodEstimate(double[] y, double lambda, double llfAtLambda, double llfAtHalf)
    {
        Assert.Equal(lambda, YeoJohnson.FitLambda(y), 5);
        Assert.Equal(llfAtLambda, YeoJohnson.LogLikelihood(y, lambda), 6);
        Assert.Equal(llfAtHalf, YeoJohnson.LogLikelihood(y, 0.5), 6);
    }

    [Fact]
    public void FitLambda_TooFewOrConstantValues_IsTheIdentity()
    {
        Assert.Equal(1, YeoJohnson.FitLambda([1.0, 2.0]));
        Assert.Equal(1, YeoJohnson.FitLambda([0.7, 0.7, 0.7, 0.7]));
    }
}
