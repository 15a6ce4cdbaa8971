namespace OptimizerGrpc.Core.Methods.Bayesian;

/// <summary>
/// The Nelder-Mead simplex minimiser (Nelder and Mead, The Computer Journal 1965) with the usual coefficients
/// (reflection 1, expansion 2, contraction 1/2, shrink 1/2). Derivative-free, which suits a log marginal
/// likelihood whose gradient we do not compute; deterministic for a deterministic objective.
/// </summary>
internal static class NelderMead
{
    /// <summary>Minimises <paramref name="f"/> from <paramref name="start"/> with initial steps of
    /// <paramref name="step"/> along each axis; stops after <paramref name="maxEvaluations"/> calls or when the
    /// simplex values agree to 1e-7. Returns the best point found and its value.</summary>
    public static (double[] Point, double Value) Minimize(Func<double[], double> f, double[] start, double step, int maxEvaluations)
    {
        int n = start.Length;
        var points = new double[n + 1][];
        var values = new double[n + 1];
        int evaluations = 0;
        double Eval(double[] p)
        {
            evaluations++;
            double v = f(p);
            return double.IsNaN(v) ? double.PositiveInfinity : v;
        }

        for (int i = 0; i <= n; i++)
        {
            points[i] = (double[])start.Clone();
            if (i > 0)
            {
                points[i][i - 1] += step;
            }

            values[i] = Eval(points[i]);
        }

        var centroid = new double[n];
        var reflected = new double[n];
        var trial = new double[n];
        while (evaluations < maxEvaluations)
        {
            Sort(points, values);
            double best = values[0];
            double worst = values[n];
            if (double.IsFinite(worst) && worst - best <= 1e-7 * (Math.Abs(best) + 1e-7))
            {
                break;
            }

            Array.Clear(centroid);
            for (int i = 0; i < n; i++)
            {
                for (int d = 0; d < n; d++)
                {
                    centroid[d] += points[i][d] / n;
                }
            }

            Along(centroid, points[n], -1, reflected);
            double fr = Eval(reflected);
            if (fr < best)
            {
                Along(centroid, points[n], -2, trial);
                double fe = Eval(trial);
                Replace(points, values, n, fe < fr ? trial : reflected, Math.Min(fe, fr));
            }
            else if (fr < values[n - 1])
            {
                Replace(points, values, n, reflected, fr);
            }
            else
            {
                bool outside = fr < worst;
                Along(centroid, outside ? reflected : points[n], 0.5, trial);
                double fc = Eval(trial);
                if (fc < Math.Min(fr, worst))
                {
                    Replace(points, values, n, trial, fc);
                }
                else
                {
                    for (int i = 1; i <= n; i++)
                    {
                        for (int d = 0; d < n; d++)
                        {
                            points[i][d] = points[0][d] + (0.5 * (points[i][d] - points[0][d]));
                        }

                        values[i] = Eval(points[i]);
                    }
                }
            }
        }

        Sort(points, values);
        return (points[0], values[0]);
    }

    // result = c + t (p - c): t = -1 reflects p through c, -2 expands, 0.5 contracts towards p.
    private static void Along(double[] c, double[] p, double t, double[] result)
    {
        for (int d = 0; d < c.Length; d++)
        {
            result[d] = c[d] + (t * (p[d] - c[d]));
        }
    }

    private static void Replace(double[][] points, double[] values, int index, double[] point, double value)
    {
        Array.Copy(point, points[index], point.Length);
        values[index] = value;
    }

    // Insertion sort by value, stable, so ties keep their order and the run is reproducible.
    private static void Sort(double[][] points, double[] values)
    {
        for (int i = 1; i < values.Length; i++)
        {
            var p = points[i];
            double v = values[i];
            int j = i - 1;
            for (; j >= 0 && values[j] > v; j--)
            {
                points[j + 1] = points[j];
                values[j + 1] = values[j];
            }

            points[j + 1] = p;
            values[j + 1] = v;
        }
    }
}
