namespace OptimizerGrpc.Core.Methods.Bayesian;

/// <summary>One told trial as the model sees it: its unit-cube point, its score (NaN unless completed) and its kind.</summary>
internal readonly record struct ObservedPoint(double[] X, double Score, ObservationKind Kind);

/// <summary>
/// The GP's training data, rebuilt from the observations on every Ask: infeasible, failed and pruned trials take
/// the worst completed score (0 before any completion), at most a cap of points are kept (<see cref="Select"/>),
/// and the targets are standardised to zero mean and unit variance, after a Yeo-Johnson transform fitted to them when
/// output warping is on (<see cref="YeoJohnson"/>). Buffers are reused across Asks.
/// </summary>
internal sealed class TrainingSet
{
    private readonly int _dims;
    private double[] _x = [];
    private double[] _y = [];

    public TrainingSet(int dims) => _dims = dims;

    public int Count { get; private set; }

    /// <summary>Points, row-major, Count x dims.</summary>
    public double[] X => _x;

    /// <summary>Standardised targets.</summary>
    public double[] Y => _y;

    /// <summary>The best standardised target, 0 when empty.</summary>
    public double Best { get; private set; }

    /// <summary>The λ of the last build's output warping (1, the identity, when it is off).</summary>
    public double WarpLambda { get; private set; } = 1;

    public void Build(List<ObservedPoint> observed, int cap, bool warp = false)
    {
        int total = observed.Count;
        double worst = double.PositiveInfinity;
        foreach (var o in observed)
        {
            if (o.Kind == ObservationKind.Completed)
            {
                worst = Math.Min(worst, o.Score);
            }
        }

        if (double.IsPositiveInfinity(worst))
        {
            worst = 0;
        }

        var values = new double[total];
        for (int i = 0; i < total; i++)
        {
            values[i] = observed[i].Kind == ObservationKind.Completed ? observed[i].Score : worst;
        }

        var selected = Select(values, total, cap);
        int n = selected.Length;
        if (_y.Length < n)
        {
            _x = new double[n * _dims];
            _y = new double[n];
        }

        for (int k = 0; k < n; k++)
        {
            observed[selected[k]].X.CopyTo(_x, k * _dims);
            _y[k] = values[selected[k]];
        }

        var y = _y.AsSpan(0, n);
        Standardise(y);
        WarpLambda = 1;
        if (warp && n >= 3)
        {
            // HEBO warps the standardised targets, then the GP sees them standardised again.
            WarpLambda = YeoJohnson.FitLambda(y);
            foreach (ref double v in y)
            {
                v = YeoJohnson.Transform(v, WarpLambda);
            }

            Standardise(y);
        }

        double best = n > 0 ? double.NegativeInfinity : 0;
        foreach (double v in y)
        {
            best = Math.Max(best, v);
        }

        Count = n;
        Best = best;
    }

    // Zero mean, unit (population) variance in place; a constant keeps unit scale.
    private static void Standardise(Span<double> y)
    {
        int n = y.Length;
        double sum = 0;
        foreach (double v in y)
        {
            sum += v;
        }

        double mean = n > 0 ? sum / n : 0;
        double ss = 0;
        foreach (double v in y)
        {
            ss += (v - mean) * (v - mean);
        }

        double sd = n > 1 && ss > 0 ? Math.Sqrt(ss / n) : 1;
        foreach (ref double v in y)
        {
            v = (v - mean) / sd;
        }
    }

    /// <summary>At most <paramref name="cap"/> rows chosen like the training set itself, as new arrays.</summary>
    public (double[] X, double[] Y, int Count) Subset(int cap)
    {
        var rows = Select(_y, Count, cap);
        var x = new double[rows.Length * _dims];
        var y = new double[rows.Length];
        for (int k = 0; k < rows.Length; k++)
        {
            Array.Copy(_x, rows[k] * _dims, x, k * _dims, _dims);
            y[k] = _y[rows[k]];
        }

        return (x, y, rows.Length);
    }

    /// <summary>The rows of the <paramref name="count"/> best targets, best first (ties by row).</summary>
    public int[] BestRows(int count)
    {
        var order = ByValueDescending(_y, Count);
        return order[..Math.Min(count, Count)];
    }

    /// <summary>All when within <paramref name="cap"/>, else the best cap/2 by value and the most recent for the
    /// rest. Returns ascending indices, so the order of the data (and the arithmetic on it) depends only on the data.</summary>
    public static int[] Select(double[] values, int count, int cap)
    {
        var keep = new bool[count];
        int kept = 0;
        if (count > cap)
        {
            var order = ByValueDescending(values, count);
            for (; kept < cap / 2; kept++)
            {
                keep[order[kept]] = true;
            }
        }

        for (int i = count - 1; i >= 0 && kept < cap; i--)
        {
            if (!keep[i])
            {
                keep[i] = true;
                kept++;
            }
        }

        var selected = new int[kept];
        for (int i = 0, k = 0; i < count; i++)
        {
            if (keep[i])
            {
                selected[k++] = i;
            }
        }

        return selected;
    }

    private static int[] ByValueDescending(double[] values, int count)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) => values[a] != values[b] ? values[b].CompareTo(values[a]) : a.CompareTo(b));
        return order;
    }
}
