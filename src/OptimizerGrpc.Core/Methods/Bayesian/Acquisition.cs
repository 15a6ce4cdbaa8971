using OptimizerGrpc.Core.Numerics;

namespace OptimizerGrpc.Core.Methods.Bayesian;

/// <summary>
/// Acquisition functions on the standardised GP posterior (mean mu, standard deviation sigma) against the best
/// standardised score so far. All are "higher is better".
/// </summary>
internal static class Acquisition
{
    // log(2 pi) / 2 and log(pi / 2) / 2, Ament et al. 2023, eq. 9.
    private const double C1 = 0.91893853320467274178;
    private const double C2 = 0.22579135264472743236;
    private const double Sqrt2 = 1.41421356237309504880;

    // Below -1/sqrt(machine epsilon) the asymptotic form is exact to double precision.
    private const double AsymptoticThreshold = -67108864.0;

    public static double Evaluate(BayesianAcquisition kind, double mean, double sigma, double best, double ucbBeta)
    {
        switch (kind)
        {
            case BayesianAcquisition.UpperConfidenceBound:
                return mean + (Math.Sqrt(ucbBeta) * sigma);
            case BayesianAcquisition.ExpectedImprovement:
                return sigma > 0 ? sigma * H((mean - best) / sigma) : Math.Max(mean - best, 0);
            default:
                return sigma > 0 ? LogH((mean - best) / sigma) + Math.Log(sigma) : (mean > best ? Math.Log(mean - best) : double.NegativeInfinity);
        }
    }

    /// <summary>h(z) = phi(z) + z Phi(z), so that EI = sigma h((mu - best) / sigma).</summary>
    public static double H(double z) => NormalDistribution.Pdf(z) + (z * NormalDistribution.Cdf(z));

    /// <summary>
    /// log h(z) without underflow (Ament et al. 2023, eq. 9): directly for z &gt; -1; for smaller z,
    /// h(z) = phi(z) (1 - |z| erfcx(-z/sqrt 2) sqrt(pi/2)), taken as a log through log1mexp; below
    /// -1/sqrt(eps), the asymptote -z^2/2 - log(2 pi)/2 - 2 log|z|.
    /// </summary>
    public static double LogH(double z)
    {
        if (z > -1)
        {
            return Math.Log(H(z));
        }

        if (z > AsymptoticThreshold)
        {
            double a = Math.Log(NormalDistribution.Erfcx(-z / Sqrt2) * -z) + C2;
            if (a < 0)
            {
                return (-0.5 * z * z) - C1 + NormalDistribution.Log1mExp(a);
            }
        }

        return (-0.5 * z * z) - C1 - (2 * Math.Log(-z));
    }
}
