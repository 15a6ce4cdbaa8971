namespace OptimizerGrpc.Core.Methods.Bayesian;

/// <summary>
/// The standard normal density and distribution function, with the special functions they need written out
/// because .NET has no erf and its generic ExpM1/LogP1 are not accurate near zero.
/// </summary>
internal static class NormalDistribution
{
    private const double InvSqrt2Pi = 0.39894228040143267794;
    private const double InvSqrtPi = 0.56418958354775628695;
    private const double Sqrt2 = 1.41421356237309504880;

    public static double Pdf(double z) => InvSqrt2Pi * Math.Exp(-0.5 * z * z);

    public static double Cdf(double z) => 0.5 * Erfc(-z / Sqrt2);

    /// <summary>Complementary error function, to full relative precision in both tails.</summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        if (x < 0)
        {
            return 2 - Erfc(-x);
        }

        return x < 2 ? 1 - ErfSeries(x) : Math.Exp(-x * x) * ErfcxContinuedFraction(x);
    }

    /// <summary>The scaled complementary error function exp(x^2) erfc(x), which neither underflows nor loses
    /// precision for large positive x.</summary>
    public static double Erfcx(double x)
    {
        if (x < 0)
        {
            return (2 * Math.Exp(x * x)) - Erfcx(-x);
        }

        return x < 2 ? Math.Exp(x * x) * (1 - ErfSeries(x)) : ErfcxContinuedFraction(x);
    }

    /// <summary>log(1 + x), accurate near 0 (Goldberg's trick: the rounding of 1 + x cancels out).</summary>
    public static double Log1p(double x)
    {
        double u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }

    /// <summary>exp(x) - 1, accurate near 0 (Kahan's trick).</summary>
    public static double Expm1(double x)
    {
        double u = Math.Exp(x);
        if (u == 1)
        {
            return x;
        }

        double um1 = u - 1;
        return um1 == -1 ? -1 : um1 * x / Math.Log(u);
    }

    /// <summary>log(1 - exp(a)) for a &lt; 0 (Mächler, "Accurately computing log(1 - exp(-|a|))", 2012).</summary>
    public static double Log1mExp(double a) =>
        a > -0.69314718055994530942 ? Math.Log(-Expm1(a)) : Log1p(-Math.Exp(a));

    // erf(x) = 2/sqrt(pi) exp(-x^2) sum_n 2^n x^(2n+1) / (1*3*...*(2n+1)) (Abramowitz and Stegun 7.1.6): all terms
    // positive, so no cancellation; below x = 2 it converges in under 60 terms.
    private static double ErfSeries(double x)
    {
        double x2 = x * x;
        double term = x;
        double sum = x;
        for (int n = 0; n < 200 && term > sum * 1e-17; n++)
        {
            term *= 2 * x2 / ((2 * n) + 3);
            sum += term;
        }

        return 2 * InvSqrtPi * Math.Exp(-x2) * sum;
    }

    // exp(x^2) erfc(x) = (1/sqrt(pi)) / (x + (1/2) / (x + 1 / (x + (3/2) / (x + ...)))) (A&S 7.1.14), evaluated
    // backwards with a fixed depth; for x >= 2 sixty levels are past double precision.
    private static double ErfcxContinuedFraction(double x)
    {
        double t = x;
        for (int k = 60; k >= 1; k--)
        {
            t = x + (k * 0.5 / t);
        }

        return InvSqrtPi / t;
    }
}
