using OptimizerGrpc.Core.Numerics;
using OptimizerGrpc.Core.Randomness;

namespace OptimizerGrpc.Core.Methods.Tpe;

/// <summary>
/// The normal distribution truncated to [low, high], as the Parzen estimator's kernels use it: log density, log mass
/// of an interval (for discrete values, the mass of the rounding cell), and inverse-CDF sampling. Every quantity is
/// computed on the side of the mean where the tail is small, so kernels far from a point give a finite log instead
/// of log(0) (the standard trick for Φ(b) - Φ(a) when both lie in one tail).
/// </summary>
internal static class TruncatedNormal
{
    private const double LogSqrt2Pi = 0.91893853320467274178;
    private const double Sqrt2 = 1.41421356237309504880;

    /// <summary>log Φ(z), accurate far into the lower tail (via erfcx: Φ(z) = erfcx(-z/√2) exp(-z²/2) / 2).</summary>
    public static double LogCdf(double z) =>
        z < -1 ? Math.Log(0.5 * NormalDistribution.Erfcx(-z / Sqrt2)) - (0.5 * z * z) : Math.Log(NormalDistribution.Cdf(z));

    /// <summary>log(Φ(b) - Φ(a)) for standardised bounds a &lt;= b; -∞ when a == b.</summary>
    public static double LogMass(double a, double b)
    {
        if (a >= b)
        {
            return double.NegativeInfinity;
        }

        if (a > 0)
        {
            // Both in the upper tail: mirror into the lower one, where Φ has full relative precision.
            (a, b) = (-b, -a);
        }

        if (b <= 0)
        {
            double logB = LogCdf(b);
            return logB + NormalDistribution.Log1mExp(LogCdf(a) - logB);
        }

        // a <= 0 < b: the mass is at least Φ(b) - 1/2 or 1/2 - Φ(a), not small.
        return Math.Log(1 - NormalDistribution.Cdf(a) - NormalDistribution.Cdf(-b));
    }

    /// <summary>log density at x of N(mu, sigma²) truncated to [low, high].</summary>
    public static double LogPdf(double x, double mu, double sigma, double low, double high)
    {
        double z = (x - mu) / sigma;
        return -(0.5 * z * z) - LogSqrt2Pi - Math.Log(sigma) - LogMass((low - mu) / sigma, (high - mu) / sigma);
    }

    /// <summary><see cref="LogPdf"/> with log sigma and the log mass of [low, high] given: what does not depend on x, computed
    /// once per kernel. Bit-identical to the overload above.</summary>
    public static double LogPdfWithMass(double x, double mu, double sigma, double logSigma, double logMass)
    {
        double z = (x - mu) / sigma;
        return -(0.5 * z * z) - LogSqrt2Pi - logSigma - logMass;
    }

    /// <summary>A draw of N(mu, sigma²) truncated to [low, high] by inversion of the CDF on the smaller-tail side.</summary>
    public static double Sample(Xoshiro256StarStar rng, double mu, double sigma, double low, double high)
    {
        double a = (low - mu) / sigma, b = (high - mu) / sigma;
        bool mirrored = a > 0;
        if (mirrored)
        {
            (a, b) = (-b, -a);
        }

        double pa = NormalDistribution.Cdf(a), pb = NormalDistribution.Cdf(b);
        double z = NormalDistribution.InverseCdf(pa + (rng.NextDouble() * (pb - pa)));
        if (double.IsInfinity(z) || double.IsNaN(z) || pb <= pa)
        {
            // The interval's mass is below double resolution: its nearer end is where the mass is.
            z = Math.Abs(a) < Math.Abs(b) ? a : b;
        }

        z = Math.Clamp(mirrored ? -z : z, (low - mu) / sigma, (high - mu) / sigma);
        return Math.Clamp(mu + (sigma * z), low, high);
    }
}
