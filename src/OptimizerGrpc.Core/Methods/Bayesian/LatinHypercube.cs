using OptimizerGrpc.Core.Randomness;

namespace OptimizerGrpc.Core.Methods.Bayesian;

/// <summary>
/// Latin hypercube sampling (McKay, Beckman and Conover, "A comparison of three methods for selecting values of
/// input variables in the analysis of output from a computer code", Technometrics 1979): each of the n points
/// falls in a different one of n equal strata of every coordinate, so even a small initial design covers every
/// range end to end.
/// </summary>
internal static class LatinHypercube
{
    /// <summary>n points of <paramref name="dims"/> coordinates in [0, 1), row-major.</summary>
    public static double[] Sample(int n, int dims, Xoshiro256StarStar rng)
    {
        var points = new double[n * dims];
        var strata = new int[n];
        for (int d = 0; d < dims; d++)
        {
            for (int i = 0; i < n; i++)
            {
                strata[i] = i;
            }

            // Fisher-Yates shuffle.
            for (int i = n - 1; i > 0; i--)
            {
                int k = (int)rng.NextInt64(i + 1);
                (strata[i], strata[k]) = (strata[k], strata[i]);
            }

            for (int i = 0; i < n; i++)
            {
                points[(i * dims) + d] = (strata[i] + rng.NextDouble()) / n;
            }
        }

        return points;
    }
}
