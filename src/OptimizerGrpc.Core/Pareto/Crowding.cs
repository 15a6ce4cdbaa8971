namespace OptimizerGrpc.Core.Pareto;

/// <summary>Crowding distance, the density estimate NSGA-II uses to keep a front spread out.</summary>
public static class Crowding
{
    /// <summary>
    /// Crowding distance of each member of <paramref name="front"/> (Deb et al., "A fast and elitist multiobjective
    /// genetic algorithm: NSGA-II", IEEE TEC 6(2), 2002, section III-B): per objective, the members are sorted, the two
    /// extremes get +infinity and every other member adds the gap between its neighbours divided by the objective's
    /// range on the front. Ties sort in the order of <paramref name="front"/>. An objective with zero (or infinite) range on the
    /// front is skipped (as DEAP does), so a front of identical points has distance 0 everywhere.
    /// </summary>
    /// <returns>Distances aligned with <paramref name="front"/>.</returns>
    public static double[] Distances(IReadOnlyList<double[]> points, IReadOnlyList<int> front)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(front);
        var distances = new double[front.Count];
        if (front.Count == 0)
        {
            return distances;
        }

        int objectives = points[front[0]].Length;
        foreach (int index in front)
        {
            if (points[index].Length != objectives)
            {
                throw new ArgumentException($"point {index} has {points[index].Length} objectives, point {front[0]} has {objectives}", nameof(front));
            }
        }

        var order = new int[front.Count]; // positions in front
        for (int m = 0; m < objectives; m++)
        {
            for (int k = 0; k < order.Length; k++)
            {
                order[k] = k;
            }

            // Array.Sort is unstable; ties break on the position so the result does not depend on the sort.
            Array.Sort(order, (a, b) =>
            {
                int c = points[front[a]][m].CompareTo(points[front[b]][m]);
                return c != 0 ? c : a.CompareTo(b);
            });
            double low = points[front[order[0]]][m];
            double high = points[front[order[^1]]][m];
            double range = high - low;
            if (!(range > 0) || double.IsInfinity(range))
            {
                continue;
            }

            distances[order[0]] = double.PositiveInfinity;
            distances[order[^1]] = double.PositiveInfinity;
            for (int k = 1; k < order.Length - 1; k++)
            {
                distances[order[k]] += (points[front[order[k + 1]]][m] - points[front[order[k - 1]]][m]) / range;
            }
        }

        return distances;
    }
}
