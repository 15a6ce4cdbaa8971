using OptimizerGrpc.Core.Numerics;

namespace OptimizerGrpc.Core.Analysis.Landscape;

/// <summary>
/// A 1-D Parzen (Gaussian kernel) density over the grid points 0..G-1, as PED-ANOVA estimates a numeric parameter's
/// marginal (Watanabe, Bansal and Hutter, IJCAI 2023), after Optuna's PedAnovaImportanceEvaluator.
/// One kernel per occupied grid point, weighted by its count, with one bandwidth by Scott's rule (Scott, "Multivariate
/// Density Estimation", 1992) made robust with the interquartile range as Silverman (1986) does:
/// h = 1.059 · min(σ, IQR / 1.34) · n^(-1/5), at least 0.5 / 1.64 of a grid step (so 90% of a kernel's mass stays within
/// half a step of it). A prior kernel, N(centre, G), weighted as one trial, keeps the density positive everywhere, so the
/// Pearson divergence never divides by zero. Each kernel is a normal discretised on the grid and truncated to it: point j
/// gets Φ((j + ½ − μ)/h) − Φ((j − ½ − μ)/h), renormalised over the grid.
/// </summary>
internal static class ScottParzenDensity
{
    private const double MinBandwidth = 0.5 / 1.64;
    private const double PriorWeight = 1.0;

    /// <summary>The density at each grid point (summing to 1) of <paramref name="counts"/> observations per grid point.</summary>
    public static double[] Estimate(ReadOnlySpan<long> counts)
    {
        int g = counts.Length;
        long n = 0;
        double sum = 0;
        for (int j = 0; j < g; j++)
        {
            n += counts[j];
            sum += (double)counts[j] * j;
        }

        var density = new double[g];
        AddKernel(density, (g - 1) / 2.0, g, PriorWeight);
        if (n > 0)
        {
            double h = Bandwidth(counts, n, sum / n);
            for (int j = 0; j < g; j++)
            {
                if (counts[j] > 0)
                {
                    AddKernel(density, j, h, counts[j]);
                }
            }
        }

        double total = n + PriorWeight;
        for (int j = 0; j < g; j++)
        {
            density[j] /= total;
        }

        return density;
    }

    private static double Bandwidth(ReadOnlySpan<long> counts, long n, double mean)
    {
        double squares = 0;
        for (int j = 0; j < counts.Length; j++)
        {
            squares += counts[j] * (j - mean) * (j - mean);
        }

        double sigma = Math.Sqrt(squares / Math.Max(1, n - 1));
        double iqr = Quantile(counts, n, 0.75) - Quantile(counts, n, 0.25);
        double h = 1.059 * Math.Min(sigma, iqr / 1.34) * Math.Pow(n, -0.2);
        return Math.Max(h, MinBandwidth);
    }

    /// <summary>The smallest grid point whose cumulative count reaches q · n (at least one observation).</summary>
    private static int Quantile(ReadOnlySpan<long> counts, long n, double q)
    {
        double target = Math.Max(1, q * n);
        long cumulative = 0;
        for (int j = 0; j < counts.Length; j++)
        {
            cumulative += counts[j];
            if (cumulative >= target)
            {
                return j;
            }
        }

        return counts.Length - 1;
    }

    private static void AddKernel(double[] density, double mu, double h, double weight)
    {
        int g = density.Length;
        double mass = NormalDistribution.Cdf((g - 0.5 - mu) / h) - NormalDistribution.Cdf((-0.5 - mu) / h);
        double scale = weight / mass;
        double below = NormalDistribution.Cdf((-0.5 - mu) / h);
        for (int j = 0; j < g; j++)
        {
            double above = NormalDistribution.Cdf((j + 0.5 - mu) / h);
            density[j] += scale * (above - below);
            below = above;
        }
    }
}
