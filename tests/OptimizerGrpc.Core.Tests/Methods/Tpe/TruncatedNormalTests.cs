using OptimizerGrpc.Core.Methods.Tpe;
using OptimizerGrpc.Core.Randomness;

namespace OptimizerGrpc.Core.Tests.Methods.Tpe;

public sealed class TruncatedNormalTests
{
    [Fact]
    public void LogMass_CentralAndFarTail_MatchReferenceValues()
    {
        // log(Phi(1) - Phi(-1)) = log 0.682689...; log(Phi(9) - Phi(8)) = log(6.2198e-16), where 1 - Phi(8) has no digits left.
        Assert.Equal(-0.38171514630212616, TruncatedNormal.LogMass(-1, 1), 14);
        Assert.Equal(-35.013618593437144, TruncatedNormal.LogMass(8, 9), 10);
        Assert.Equal(-35.013618593437144, TruncatedNormal.LogMass(-9, -8), 10);
        Assert.Equal(double.NegativeInfinity, TruncatedNormal.LogMass(2, 2));
    }

    [Theory]
    [InlineData(0.3, 0.5, 0.2, 0.0, 1.0)]
    [InlineData(0.99, 0.01, 0.05, 0.0, 1.0)]
    [InlineData(-3.0, 4.0, 0.3, -5.0, 5.0)]
    public void LogPdfWithMass_IsBitIdenticalToLogPdf(double x, double mu, double sigma, double low, double high)
    {
        double logMass = TruncatedNormal.LogMass((low - mu) / sigma, (high - mu) / sigma);

        Assert.Equal(TruncatedNormal.LogPdf(x, mu, sigma, low, high), TruncatedNormal.LogPdfWithMass(x, mu, sigma, Math.Log(sigma), logMass));
    }

    [Fact]
    public void LogPdf_IntegratesToOneOverTheTruncation()
    {
        // Midpoint rule over [1, 4] for N(0, 2^2) truncated there.
        const int steps = 30_000;
        double h = 3.0 / steps, sum = 0;
        for (int i = 0; i < steps; i++)
        {
            sum += Math.Exp(TruncatedNormal.LogPdf(1 + ((i + 0.5) * h), 0, 2, 1, 4)) * h;
        }

        Assert.Equal(1.0, sum, 8);
    }

    [Fact]
    public void Sample_HalfNormal_HasMeanSqrtTwoOverPi()
    {
        var rng = new Xoshiro256StarStar(1);
        double sum = 0;
        const int n = 200_000;
        for (int i = 0; i < n; i++)
        {
            double x = TruncatedNormal.Sample(rng, 0, 1, 0, 40);
            Assert.InRange(x, 0, 40);
            sum += x;
        }

        Assert.Equal(Math.Sqrt(2 / Math.PI), sum / n, 2);
    }

    [Fact]
    public void Sample_IntervalFarInTheTail_StaysInside()
    {
        var rng = new Xoshiro256StarStar(2);
        for (int i = 0; i < 1000; i++)
        {
            Assert.InRange(TruncatedNormal.Sample(rng, 0, 1, 40, 41), 40, 41);
        }
    }
}
