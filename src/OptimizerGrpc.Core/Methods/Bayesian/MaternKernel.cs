namespace OptimizerGrpc.Core.Methods.Bayesian;

/// <summary>
/// The Matérn 5/2 covariance (Rasmussen and Williams, "Gaussian Processes for Machine Learning", 2006, eq. 4.17):
/// k(r) = s2 (1 + sqrt(5) r + 5 r^2 / 3) exp(-sqrt(5) r), with r the distance after dividing each input dimension
/// by its own length scale (automatic relevance determination). Twice differentiable sample paths: smooth enough
/// for a response surface, rough enough not to over-trust it as the squared exponential does.
/// </summary>
internal static class MaternKernel
{
    public const double Sqrt5 = 2.2360679774997896964;

    /// <summary>k as a function of the squared scaled distance r^2.</summary>
    public static double FromSquaredDistance(double r2, double signalVariance)
    {
        double s = Sqrt5 * Math.Sqrt(r2);
        return signalVariance * (1 + s + (5.0 / 3.0 * r2)) * Math.Exp(-s);
    }

    /// <summary>Squared distance between two points already divided by their length scales.</summary>
    public static double SquaredDistance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double r2 = 0;
        for (int d = 0; d < a.Length; d++)
        {
            double t = a[d] - b[d];
            r2 += t * t;
        }

        return r2;
    }
}
