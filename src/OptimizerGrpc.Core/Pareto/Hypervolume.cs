namespace OptimizerGrpc.Core.Pareto;

/// <summary>
/// The hypervolume indicator (Zitzler and Thiele, "Multiobjective optimization using evolutionary algorithms - a
/// comparative case study", PPSN V, 1998) for maximisation: the measure of the region that the points dominate and
/// that dominates the reference point, i.e. the union of the boxes [r, p]. Exact, for any number of objectives; meant
/// for up to 5 objectives and a few hundred points.
/// </summary>
public static class Hypervolume
{
    /// <summary>Share of the front's range by which <see cref="DefaultReference"/> lies below the front's minimum.</summary>
    public const double ReferenceMargin = 0.1;

    /// <summary>
    /// The exact hypervolume of <paramref name="points"/> above <paramref name="reference"/>. Points that do not exceed
    /// the reference in every objective add nothing; dominated and repeated points add nothing either.
    /// <para>
    /// One objective is the best value's distance to the reference, two a sweep in O(n log n). Three or more use WFG
    /// (While, Bradstreet and Barone, "A fast way of calculating exact hypervolumes", IEEE TEC 16(1), 2012): the volume
    /// is the sum of each point's exclusive contribution over the points after it, box(p) - HV(limit set), where the
    /// limit set bounds the later points by p. Points are taken worst-first in the last objective, so every limit set
    /// shares p's last coordinate and its volume is p's height times a hypervolume in one objective fewer (the
    /// slicing of HSO, While et al., IEEE TEC 10(1), 2006); dominated members of a limit set are dropped before
    /// recursing.
    /// </para>
    /// </summary>
    public static double Compute(IReadOnlyList<double[]> points, IReadOnlyList<double> reference)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(reference);
        Dominance.CheckPoints(points, violations: null);
        int d = reference.Count;
        if (d == 0)
        {
            throw new ArgumentException("the reference point has no objectives", nameof(reference));
        }

        if (reference.Any(r => !double.IsFinite(r)))
        {
            throw new ArgumentException("the reference point must be finite", nameof(reference));
        }

        if (points.Count > 0 && points[0].Length != d)
        {
            throw new ArgumentException($"points have {points[0].Length} objectives, the reference point {d}", nameof(reference));
        }

        // Shifted so that the reference is the origin: every box is then [0, p].
        var shifted = new List<double[]>(points.Count);
        foreach (var point in points)
        {
            var q = new double[d];
            bool above = true;
            for (int i = 0; i < d && above; i++)
            {
                q[i] = point[i] - reference[i];
                above = q[i] > 0;
            }

            if (above)
            {
                shifted.Add(q);
            }
        }

        return Volume(NonDominated(shifted, d), d);
    }

    /// <summary>
    /// The default reference point for a set of points (usually a front): per objective, the minimum over the
    /// non-dominated points minus <see cref="ReferenceMargin"/> (10%) of their range, so every point of the front adds
    /// volume, the extremes included. Where the range is 0 the margin is 10% of max(|minimum|, 1).
    /// </summary>
    public static double[] DefaultReference(IReadOnlyList<double[]> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var front = Dominance.ParetoFront(points);
        if (front.Length == 0)
        {
            throw new ArgumentException("a reference point needs at least one point", nameof(points));
        }

        int d = points[front[0]].Length;
        var reference = new double[d];
        for (int i = 0; i < d; i++)
        {
            double low = front.Min(k => points[k][i]);
            double high = front.Max(k => points[k][i]);
            if (!double.IsFinite(low) || !double.IsFinite(high))
            {
                throw new ArgumentException($"objective {i} of the front is not finite", nameof(points));
            }

            double range = high - low;
            reference[i] = low - (ReferenceMargin * (range > 0 ? range : Math.Max(Math.Abs(low), 1)));
        }

        return reference;
    }

    /// <summary>Volume of the union of the boxes [0, p] over the first <paramref name="d"/> coordinates; no point is
    /// weakly dominated by another.</summary>
    private static double Volume(List<double[]> points, int d)
    {
        if (points.Count == 0)
        {
            return 0;
        }

        if (d == 1)
        {
            return points.Max(p => p[0]);
        }

        if (d == 2)
        {
            return Sweep(points);
        }

        int last = d - 1;
        points.Sort((a, b) => a[last].CompareTo(b[last]));
        double total = 0;
        for (int k = 0; k < points.Count; k++)
        {
            var p = points[k];
            double box = 1;
            for (int i = 0; i < last; i++)
            {
                box *= p[i];
            }

            var limit = new List<double[]>(points.Count - k - 1);
            for (int j = k + 1; j < points.Count; j++)
            {
                var q = new double[last];
                for (int i = 0; i < last; i++)
                {
                    q[i] = Math.Min(p[i], points[j][i]);
                }

                limit.Add(q);
            }

            total += p[last] * (box - Volume(NonDominated(limit, last), last));
        }

        return total;
    }

    /// <summary>Two objectives, best first in the first one: each point adds the strip its second objective gains.</summary>
    private static double Sweep(List<double[]> points)
    {
        points.Sort((a, b) => a[0] != b[0] ? b[0].CompareTo(a[0]) : b[1].CompareTo(a[1]));
        double area = 0;
        double covered = 0;
        foreach (var p in points)
        {
            if (p[1] > covered)
            {
                area += p[0] * (p[1] - covered);
                covered = p[1];
            }
        }

        return area;
    }

    /// <summary>The points no other point weakly dominates over the first <paramref name="d"/> coordinates; one of
    /// each group of equal points is kept. Sorted in descending lexicographic order, a point can only be weakly
    /// dominated by one before it, so one pass against the kept points suffices.</summary>
    private static List<double[]> NonDominated(List<double[]> points, int d)
    {
        points.Sort((a, b) =>
        {
            for (int i = 0; i < d; i++)
            {
                int c = b[i].CompareTo(a[i]);
                if (c != 0)
                {
                    return c;
                }
            }

            return 0;
        });
        var kept = new List<double[]>(points.Count);
        foreach (var p in points)
        {
            if (!kept.Exists(k => WeaklyDominates(k, p, d)))
            {
                kept.Add(p);
            }
        }

        return kept;
    }

    private static bool WeaklyDominates(double[] a, double[] b, int d)
    {
        for (int i = 0; i < d; i++)
        {
            if (a[i] < b[i])
            {
                return false;
            }
        }

        return true;
    }
}
