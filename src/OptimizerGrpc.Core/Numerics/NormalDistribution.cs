namespace OptimizerGrpc.Core.Numerics;

/// <summary>
/// The standard normal density, distribution function and its inverse, with the special functions they need written
/// out because .NET has no erf and its generic ExpM1/LogP1 are not accurate near zero. Shared by the Bayesian method
/// (expected improvement) and the overfitting statistics (PSR, DSR).
/// </summary>
internal static class NormalDistribution
{
    private const double InvSqrt2Pi = 0.39894228040143267794;
    private const double InvSqrtPi = 0.56418958354775628695;
    private const double Sqrt2 = 1.41421356237309504880;

    public static double Pdf(double z) => InvSqrt2Pi * Math.Exp(-0.5 * z * z);

    public static double Cdf(double z) => 0.5 * Erfc(-z / Sqrt2);

    /// <summary>
    /// The quantile function Φ⁻¹(p): -∞ at 0, +∞ at 1, NaN outside [0, 1]. Wichura, "Algorithm AS 241: The Percentage
    /// Points of the Normal Distribution", Applied Statistics 37(3), 1988 (PPND16): rational approximations with a
    /// relative error below 1e-16, so no refinement step is needed.
    /// </summary>
    public static double InverseCdf(double p)
    {
        if (!(p >= 0 && p <= 1))
        {
            return double.NaN;
        }

        if (p == 0 || p == 1)
        {
            return p == 0 ? double.NegativeInfinity : double.PositiveInfinity;
        }

        double q = p - 0.5;
        if (Math.Abs(q) <= 0.425)
        {
            double r = 0.180625 - (q * q);
            return q * Polynomial(r, s_centralNumerator) / Polynomial(r, s_centralDenominator);
        }

        double tail = Math.Sqrt(-Math.Log(q < 0 ? p : 1 - p));
        double x = tail <= 5
            ? Polynomial(tail - 1.6, s_intermediateNumerator) / Polynomial(tail - 1.6, s_intermediateDenominator)
            : Polynomial(tail - 5, s_farNumerator) / Polynomial(tail - 5, s_farDenominator);
        return q < 0 ? -x : x;
    }

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

    // AS 241 coefficients (PPND16), lowest degree first: |p - 0.5| <= 0.425, then r = sqrt(-log(min(p, 1 - p))) up to
    // 5 and beyond.
    private static readonly double[] s_centralNumerator =
    [
        3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125,
        45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727,
    ];

    private static readonly double[] s_centralDenominator =
    [
        1.0, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077,
        21213.794301586595867, 39307.89580009271061, 28729.085735721942674, 5226.495278852854561,
    ];

    private static readonly double[] s_intermediateNumerator =
    [
        1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504,
        1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4,
    ];

    private static readonly double[] s_intermediateDenominator =
    [
        1.0, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455,
        0.14810397642748007459, 0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9,
    ];

    private static readonly double[] s_farNumerator =
    [
        6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123,
        0.026532189526576123093, 0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7,
    ];

    private static readonly double[] s_farDenominator =
    [
        1.0, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525,
        7.868691311456132591e-4, 1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15,
    ];

    // Horner's rule.
    private static double Polynomial(double x, double[] coefficients)
    {
        double sum = coefficients[^1];
        for (int i = coefficients.Length - 2; i >= 0; i--)
        {
            sum = (sum * x) + coefficients[i];
        }

        return sum;
    }

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
