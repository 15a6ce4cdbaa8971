namespace OptimizerGrpc.Core.Methods.Bayesian;

/// <summary>
/// The Yeo-Johnson power transformation (Yeo and Johnson, "A new family of power transformations to improve normality
/// or symmetry", Biometrika 87(4), 2000), with λ fitted by maximum likelihood under a normal model, as scipy's
/// <c>stats.yeojohnson</c> does. HEBO (Cowen-Rivers et al., "HEBO: pushing the limits of sample-efficient
/// hyper-parameter optimisation", JAIR 2022) applies it to a GP's targets so that heavy tails and skew (a few very
/// good or very bad trials) do not dominate the fit. The transform is increasing for every λ, so the best target stays
/// the best.
/// </summary>
internal static class YeoJohnson
{
    /// <summary>The search interval for λ (golden-section; scipy's Brent is unbounded but starts from [-2, 2]).</summary>
    public const double MinLambda = -3, MaxLambda = 3;

    /// <summary>ψ(y, λ): ((y + 1)^λ - 1) / λ for y ≥ 0 (log(y + 1) at λ = 0), -((1 - y)^(2 - λ) - 1) / (2 - λ) for y
    /// &lt; 0 (-log(1 - y) at λ = 2), through expm1/log1p so that λ near 0 or 2 stays accurate.</summary>
    public static double Transform(double y, double lambda) => FromLog(y >= 0, Math.Log(1 + Math.Abs(y)), lambda);

    /// <summary>The profile log-likelihood of λ (scipy's <c>yeojohnson_llf</c>): -n/2 log σ²(ψ) + (λ - 1) Σ sign(y)
    /// log(1 + |y|), σ² the population variance of the transformed values.</summary>
    public static double LogLikelihood(ReadOnlySpan<double> y, double lambda)
    {
        var logs = new double[y.Length];
        double jacobian = Logs(y, logs);
        return LogLikelihood(y, logs, jacobian, lambda, new double[y.Length]);
    }

    /// <summary>The λ in [<see cref="MinLambda"/>, <see cref="MaxLambda"/>] maximising <see cref="LogLikelihood"/>, by
    /// golden-section search to 1e-9 (the profile likelihood is unimodal in λ for the data a GP sees); 1 (the identity)
    /// for fewer than 3 values or a constant. The logarithms and the Jacobian term do not depend on λ and are computed
    /// once, not at each of the ~47 evaluations.</summary>
    public static double FitLambda(ReadOnlySpan<double> y)
    {
        if (y.Length < 3 || !Varies(y))
        {
            return 1;
        }

        var logs = new double[y.Length];
        var buffer = new double[y.Length];
        double jacobian = Logs(y, logs);
        double invPhi = (Math.Sqrt(5) - 1) / 2;
        double a = MinLambda, b = MaxLambda;
        double c = b - (invPhi * (b - a)), d = a + (invPhi * (b - a));
        double fc = LogLikelihood(y, logs, jacobian, c, buffer), fd = LogLikelihood(y, logs, jacobian, d, buffer);
        while (b - a > 1e-9)
        {
            if (fc >= fd)
            {
                (b, d, fd) = (d, c, fc);
                c = b - (invPhi * (b - a));
                fc = LogLikelihood(y, logs, jacobian, c, buffer);
            }
            else
            {
                (a, c, fc) = (c, d, fd);
                d = a + (invPhi * (b - a));
                fd = LogLikelihood(y, logs, jacobian, d, buffer);
            }
        }

        return (a + b) / 2;
    }

    // log(1 + |y|) per value into logs; returns the Jacobian sum Σ sign(y) log(1 + |y|).
    private static double Logs(ReadOnlySpan<double> y, Span<double> logs)
    {
        double jacobian = 0;
        for (int i = 0; i < y.Length; i++)
        {
            logs[i] = Math.Log(1 + Math.Abs(y[i]));
            jacobian += Math.Sign(y[i]) * logs[i];
        }

        return jacobian;
    }

    private static double LogLikelihood(ReadOnlySpan<double> y, ReadOnlySpan<double> logs, double jacobian, double lambda, Span<double> t)
    {
        int n = y.Length;
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            t[i] = FromLog(y[i] >= 0, logs[i], lambda);
            sum += t[i];
        }

        double mean = sum / n, ss = 0;
        for (int i = 0; i < n; i++)
        {
            ss += (t[i] - mean) * (t[i] - mean);
        }

        double variance = ss / n;
        return variance > 0 && double.IsFinite(variance) ? (-0.5 * n * Math.Log(variance)) + ((lambda - 1) * jacobian) : double.NegativeInfinity;
    }

    // ψ from log(1 + |y|) and the sign of y.
    private static double FromLog(bool nonNegative, double log, double lambda)
    {
        if (nonNegative)
        {
            return Math.Abs(lambda) < 1e-12 ? log : ExpM1(lambda * log) / lambda;
        }

        double p = 2 - lambda;
        return Math.Abs(p) < 1e-12 ? -log : -ExpM1(p * log) / p;
    }

    private static bool Varies(ReadOnlySpan<double> y)
    {
        foreach (double v in y)
        {
            if (v != y[0])
            {
                return true;
            }
        }

        return false;
    }

    // e^x - 1 without cancellation for small x (.NET has no Math.Expm1): the series for |x| < 1e-5, else the direct form.
    private static double ExpM1(double x) => Math.Abs(x) < 1e-5 ? x + (x * x / 2) + (x * x * x / 6) : Math.Exp(x) - 1;
}
