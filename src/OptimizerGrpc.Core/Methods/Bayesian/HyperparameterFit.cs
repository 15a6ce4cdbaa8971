using OptimizerGrpc.Core.Randomness;

namespace OptimizerGrpc.Core.Methods.Bayesian;

/// <summary>
/// Type-II maximum likelihood for the GP hyperparameters (Rasmussen and Williams 2006, section 5.4): maximise
/// the log marginal likelihood plus a weak log-normal prior on each length scale (median 0.5 of the unit cube,
/// log-sd 1.5, which keeps a length scale from running off to a bound on a handful of points), over
/// theta = [log l_1 .. log l_D, log signal variance, log noise variance] inside fixed boxes. Nelder-Mead from the
/// previous fit (or the defaults) and from one random start; the better optimum wins.
/// </summary>
internal static class HyperparameterFit
{
    // Boxes in log space. Length scales 0.01..20 on the unit cube; signal variance 0.05..20 on standardised
    // targets; noise variance 1e-6..1 (1e-6 keeps the kernel matrix invertible for noiseless objectives).
    private static readonly double LogMinLength = Math.Log(0.01);
    private static readonly double LogMaxLength = Math.Log(20);
    private static readonly double LogMinSignal = Math.Log(0.05);
    private static readonly double LogMaxSignal = Math.Log(20);
    private static readonly double LogMinNoise = Math.Log(1e-6);
    private static readonly double LogMaxNoise = Math.Log(1);
    private static readonly double LogPriorLength = Math.Log(0.5);
    private const double PriorLengthSd = 1.5;

    /// <summary>Length scale 0.5, signal variance 1, noise variance 1e-3: used until the first fit.</summary>
    public static double[] Default(int dims)
    {
        var theta = new double[dims + 2];
        Array.Fill(theta, LogPriorLength, 0, dims);
        theta[dims] = 0;
        theta[dims + 1] = Math.Log(1e-3);
        return theta;
    }

    /// <summary>Fits on the n row-major points <paramref name="x"/> with standardised targets <paramref name="y"/>.</summary>
    public static double[] Fit(GaussianProcess gp, double[] x, double[] y, int n, double[] start, Xoshiro256StarStar rng, int maxEvaluations)
    {
        int dims = gp.Dimensions;
        var clamped = new double[dims + 2];
        double Objective(double[] theta)
        {
            double outside = Clamp(theta, clamped);
            if (!gp.Condition(clamped, x, y, n, n))
            {
                return double.PositiveInfinity;
            }

            return -(gp.LogMarginalLikelihood() + LogPrior(clamped, dims)) + (10 * outside);
        }

        var (best, bestValue) = NelderMead.Minimize(Objective, (double[])start.Clone(), 1.0, maxEvaluations);

        var random = new double[dims + 2];
        for (int d = 0; d < dims; d++)
        {
            random[d] = Math.Log(0.05) + (rng.NextDouble() * (Math.Log(2) - Math.Log(0.05)));
        }

        random[dims] = 0;
        random[dims + 1] = Math.Log(1e-4) + (rng.NextDouble() * (Math.Log(0.1) - Math.Log(1e-4)));
        var (other, otherValue) = NelderMead.Minimize(Objective, random, 1.0, maxEvaluations);
        if (otherValue < bestValue)
        {
            best = other;
        }

        var result = new double[dims + 2];
        Clamp(best, result);
        return result;
    }

    // Copies theta into its box and returns the squared distance it had to move, a penalty that pulls the
    // simplex back inside.
    private static double Clamp(double[] theta, double[] clamped)
    {
        int dims = theta.Length - 2;
        double outside = 0;
        for (int i = 0; i < theta.Length; i++)
        {
            var (low, high) = i < dims ? (LogMinLength, LogMaxLength) : i == dims ? (LogMinSignal, LogMaxSignal) : (LogMinNoise, LogMaxNoise);
            clamped[i] = Math.Clamp(theta[i], low, high);
            double move = theta[i] - clamped[i];
            outside += move * move;
        }

        return outside;
    }

    private static double LogPrior(double[] theta, int dims)
    {
        double sum = 0;
        for (int d = 0; d < dims; d++)
        {
            double z = (theta[d] - LogPriorLength) / PriorLengthSd;
            sum -= 0.5 * z * z;
        }

        return sum;
    }
}
