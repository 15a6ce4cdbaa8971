namespace OptimizerGrpc.Core.Analysis.Landscape;

/// <summary>
/// Parameter importance by PED-ANOVA (Watanabe, Bansal and Hutter, "PED-ANOVA: Efficiently Quantifying Hyperparameter
/// Importance in Arbitrary Subspaces", IJCAI 2023): the importance of parameter d for reaching the top-γ trials is the
/// Pearson divergence D(p_top ‖ p_all) = Σ_x p_all(x) (p_top(x) / p_all(x) − 1)² between d's marginal density among the
/// top-γ trials and among all trials (the local importance of the paper, with all observed trials as the baseline, as
/// Optuna's evaluate_on_local; not the uniform density of the whole range). Numeric parameters' densities are
/// <see cref="ScottParzenDensity"/> estimates on a grid of at most <see cref="ImportanceOptions.GridSteps"/> points of the
/// unit scale; unordered parameters' are their choices' frequencies (the top trials are a subset of all trials, so no
/// choice has p_all = 0 and p_top > 0). The top set is the best ⌈γ·N⌉ trials, at least 2, and every trial tied with the
/// last of them, as Optuna's quantile filter. Importances are normalised to sum 1; when every divergence is 0 (e.g. all
/// trials are top trials) every parameter gets an equal share.
/// </summary>
internal static class PedAnova
{
    private const int MinTopTrials = 2;

    public static IReadOnlyList<ParameterImportance> Evaluate(LandscapeData data, ImportanceOptions options)
    {
        int d = data.D;
        var top = TopRows(data, options.TopFraction);
        var divergences = new double[d];
        for (int a = 0; a < d; a++)
        {
            divergences[a] = top.Length >= data.N ? 0 : Divergence(data, a, top, options.GridSteps);
        }

        double sum = divergences.Sum();
        return [.. Enumerable.Range(0, d)
            .OrderByDescending(a => divergences[a])
            .ThenBy(a => a)
            .Select(a => new ParameterImportance(data.Axes[a].Parameter.Name, divergences[a], sum > 0 ? divergences[a] / sum : 1.0 / d))];
    }

    /// <summary>D(p_top ‖ p_all) for the densities of <paramref name="top"/> and <paramref name="all"/> over the same points.</summary>
    public static double PearsonDivergence(ReadOnlySpan<double> top, ReadOnlySpan<double> all)
    {
        double divergence = 0;
        for (int x = 0; x < all.Length; x++)
        {
            if (all[x] > 0)
            {
                double ratio = (top[x] / all[x]) - 1;
                divergence += all[x] * ratio * ratio;
            }
        }

        return divergence;
    }

    private static int[] TopRows(LandscapeData data, double gamma)
    {
        var ranked = data.Top(gamma, MinTopTrials, int.MaxValue);
        int count = ranked.Length;
        if (count == 0)
        {
            return [];
        }

        double cutoff = data.Scores[ranked[count - 1]];
        while (count < data.N && data.Scores[data.Ranked[count]] == cutoff)
        {
            count++;
        }

        return data.Ranked[..count];
    }

    private static double Divergence(LandscapeData data, int axis, int[] top, int gridSteps)
    {
        var a = data.Axes[axis];
        int points = a.Ordered ? (int)(a.Levels is > 0 && a.Levels <= gridSteps ? a.Levels : gridSteps) : a.Cells;
        if (points < 2)
        {
            return 0;
        }

        var topCounts = new long[points];
        var allCounts = new long[points];
        for (int i = 0; i < data.N; i++)
        {
            allCounts[GridPoint(a, data.Units[(i * data.D) + axis], points)]++;
        }

        foreach (int i in top)
        {
            topCounts[GridPoint(a, data.Units[(i * data.D) + axis], points)]++;
        }

        return a.Ordered
            ? PearsonDivergence(ScottParzenDensity.Estimate(topCounts), ScottParzenDensity.Estimate(allCounts))
            : PearsonDivergence(Frequencies(topCounts, top.Length), Frequencies(allCounts, data.N));
    }

    /// <summary>The grid point of a unit position: a discrete value's own index when the grid has a point per value,
    /// else the nearest of <paramref name="points"/> evenly spaced points (discrete values spread from first to last).</summary>
    private static int GridPoint(LandscapeAxis axis, double unit, int points)
    {
        if (axis.Levels > 0)
        {
            long level = axis.LevelOf(unit);
            return axis.Levels == points ? (int)level : (int)Math.Round((double)level / (axis.Levels - 1) * (points - 1));
        }

        return (int)Math.Round(unit * (points - 1));
    }

    private static double[] Frequencies(long[] counts, long total) => [.. counts.Select(c => (double)c / total)];
}
