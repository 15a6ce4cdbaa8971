namespace OptimizerGrpc.Core.Pareto;

/// <summary>
/// Pareto dominance and non-dominated sorting for maximisation: every objective is oriented so that higher is
/// better, as <see cref="Methods.Observation.Scores"/> are. Points are objective vectors of one length with no NaN.
/// </summary>
public static class Dominance
{
    /// <summary>True when <paramref name="a"/> is at least as good as <paramref name="b"/> in every objective and
    /// better in one. Equal points do not dominate each other.</summary>
    public static bool Dominates(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"points have {a.Length} and {b.Length} objectives", nameof(b));
        }

        bool better = false;
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] < b[i])
            {
                return false;
            }

            better |= a[i] > b[i];
        }

        return better;
    }

    /// <summary>
    /// Constraint domination (Deb, "An efficient constraint handling method for genetic algorithms", Computer Methods
    /// in Applied Mechanics and Engineering 186, 2000): a feasible point (violation 0) beats an infeasible one; of two
    /// infeasible points the smaller violation wins; two feasible points compare by <see cref="Dominates"/>.
    /// Violations are non-negative; +infinity marks a point worse than any infeasible one (a failed trial).
    /// Scores of an infeasible point are never read and may be empty.
    /// </summary>
    public static bool ConstrainedDominates(ReadOnlySpan<double> a, double violationA, ReadOnlySpan<double> b, double violationB)
    {
        if (violationA == 0 && violationB == 0)
        {
            return Dominates(a, b);
        }

        return violationA < violationB;
    }

    /// <summary>Indices, ascending, of the points no other point dominates (the first front).</summary>
    public static int[] ParetoFront(IReadOnlyList<double[]> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        CheckPoints(points, violations: null);
        var front = new List<int>();
        for (int i = 0; i < points.Count; i++)
        {
            bool dominated = false;
            for (int j = 0; j < points.Count && !dominated; j++)
            {
                dominated = j != i && Dominates(points[j], points[i]);
            }

            if (!dominated)
            {
                front.Add(i);
            }
        }

        return [.. front];
    }

    /// <summary>
    /// Fast non-dominated sort (Deb, Pratap, Agarwal and Meyarivan, "A fast and elitist multiobjective genetic
    /// algorithm: NSGA-II", IEEE Transactions on Evolutionary Computation 6(2), 2002), O(M N^2): front 0 is the
    /// non-dominated set, front k the non-dominated set once fronts 0..k-1 are removed. Indices within a front ascend.
    /// </summary>
    public static IReadOnlyList<int[]> NonDominatedSort(IReadOnlyList<double[]> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        CheckPoints(points, violations: null);
        return Sort(points.Count, (i, j) => Dominates(points[i], points[j]));
    }

    /// <summary>Fast non-dominated sort under <see cref="ConstrainedDominates"/>: every feasible front comes before the
    /// infeasible points, which are ranked by violation alone.</summary>
    public static IReadOnlyList<int[]> NonDominatedSort(IReadOnlyList<double[]> points, IReadOnlyList<double> violations)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(violations);
        if (violations.Count != points.Count)
        {
            throw new ArgumentException($"{violations.Count} violations for {points.Count} points", nameof(violations));
        }

        CheckPoints(points, violations);
        return Sort(points.Count, (i, j) => ConstrainedDominates(points[i], violations[i], points[j], violations[j]));
    }

    private static int[][] Sort(int n, Func<int, int, bool> dominates)
    {
        // dominatedBy[p]: the points p dominates (S_p); dominators[p]: how many points dominate p (n_p).
        var dominatedBy = new List<int>[n];
        var dominators = new int[n];
        for (int p = 0; p < n; p++)
        {
            dominatedBy[p] = [];
        }

        for (int p = 0; p < n; p++)
        {
            for (int q = p + 1; q < n; q++)
            {
                if (dominates(p, q))
                {
                    dominatedBy[p].Add(q);
                    dominators[q]++;
                }
                else if (dominates(q, p))
                {
                    dominatedBy[q].Add(p);
                    dominators[p]++;
                }
            }
        }

        var fronts = new List<int[]>();
        var current = Enumerable.Range(0, n).Where(p => dominators[p] == 0).ToList();
        while (current.Count > 0)
        {
            fronts.Add([.. current]);
            var next = new List<int>();
            foreach (int p in current)
            {
                foreach (int q in dominatedBy[p])
                {
                    if (--dominators[q] == 0)
                    {
                        next.Add(q);
                    }
                }
            }

            next.Sort();
            current = next;
        }

        return [.. fronts];
    }

    /// <summary>Feasible points (all of them when there are no violations) must share one length and hold no NaN.</summary>
    internal static void CheckPoints(IReadOnlyList<double[]> points, IReadOnlyList<double>? violations)
    {
        int objectives = -1, first = -1;
        for (int i = 0; i < points.Count; i++)
        {
            if (violations is not null)
            {
                double v = violations[i];
                if (!(v >= 0))
                {
                    throw new ArgumentException($"violation {v} of point {i} is not a non-negative number", nameof(violations));
                }

                if (v > 0)
                {
                    continue;
                }
            }

            var point = points[i] ?? throw new ArgumentException($"point {i} is null", nameof(points));
            if (objectives < 0)
            {
                objectives = point.Length;
                first = i;
            }
            else if (point.Length != objectives)
            {
                throw new ArgumentException($"point {i} has {point.Length} objectives, point {first} has {objectives}", nameof(points));
            }

            if (Array.Exists(point, double.IsNaN))
            {
                throw new ArgumentException($"point {i} has a NaN objective", nameof(points));
            }
        }
    }
}
