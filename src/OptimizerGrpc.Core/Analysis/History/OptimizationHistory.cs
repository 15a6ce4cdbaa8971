namespace OptimizerGrpc.Core.Analysis.History;

/// <summary>One completed trial of a stage's history: its number and rank score (higher is better).</summary>
public readonly record struct HistoryPoint(long Number, double Score);

/// <summary>A stage's history as a display draws it: the trials shown and the best-so-far step curve.</summary>
public sealed record HistoryView(int Completed, IReadOnlyList<HistoryPoint> Points, IReadOnlyList<HistoryPoint> Best);

/// <summary>
/// Downsamples an optimisation history for display so that no view ships every trial: the trials are cut into
/// buckets of consecutive trial numbers and each bucket keeps its lowest and highest score (the min/max decimation
/// line charts use, so the envelope of the cloud survives), and every trial that improved the best is kept. The
/// best-so-far curve holds one point per improvement plus the last trial. Both are bounded by <c>maxPoints</c>.
/// </summary>
public static class OptimizationHistory
{
    public static HistoryView Downsample(IReadOnlyList<HistoryPoint> trials, int maxPoints)
    {
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 4);
        var ordered = trials.Where(t => double.IsFinite(t.Score)).OrderBy(t => t.Number).ToArray();
        var improvements = new List<int>();
        double best = double.NegativeInfinity;
        for (int i = 0; i < ordered.Length; i++)
        {
            if (ordered[i].Score > best)
            {
                best = ordered[i].Score;
                improvements.Add(i);
            }
        }

        // A history that improves nearly every trial keeps the last improvement of each of maxPoints / 2 buckets.
        int improvementBudget = maxPoints / 2;
        if (improvements.Count > improvementBudget)
        {
            improvements = [.. improvements.GroupBy(i => (long)i * improvementBudget / ordered.Length).Select(g => g.Max())];
        }

        var bestCurve = improvements.Select(i => ordered[i]).ToList();
        if (ordered.Length > 0 && bestCurve[^1].Number != ordered[^1].Number)
        {
            bestCurve.Add(new HistoryPoint(ordered[^1].Number, bestCurve[^1].Score));
        }

        if (ordered.Length <= maxPoints)
        {
            return new HistoryView(ordered.Length, ordered, bestCurve);
        }

        var keep = new SortedSet<int>(improvements);
        int buckets = Math.Max(1, (maxPoints - keep.Count) / 2);
        for (int b = 0; b < buckets; b++)
        {
            int start = (int)((long)b * ordered.Length / buckets), end = (int)((long)(b + 1) * ordered.Length / buckets);
            if (end <= start)
            {
                continue;
            }

            int lo = start, hi = start;
            for (int i = start + 1; i < end; i++)
            {
                if (ordered[i].Score < ordered[lo].Score)
                {
                    lo = i;
                }

                if (ordered[i].Score > ordered[hi].Score)
                {
                    hi = i;
                }
            }

            keep.Add(lo);
            keep.Add(hi);
        }

        return new HistoryView(ordered.Length, [.. keep.Select(i => ordered[i])], bestCurve);
    }
}
