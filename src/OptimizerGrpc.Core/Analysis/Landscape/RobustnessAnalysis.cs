namespace OptimizerGrpc.Core.Analysis.Landscape;

/// <summary>
/// Whether the best trials sit on plateaus or on isolated peaks: each of the top k trials with its neighbourhood (see
/// <see cref="NeighbourhoodIndex"/>) and its range-edge flags, and the robust pick, the trial whose neighbourhood scores
/// best on average. An isolated peak has neighbours whose mean is more than
/// <see cref="RobustnessOptions.IsolationFraction"/> × (best − median score) below its own score (never when that spread is 0:
/// every score is then alike): the spread puts the drop
/// on the scale of the stage's scores. A trial without neighbours is not flagged (nothing shows it is isolated); its
/// neighbour count of 0 says so. The robust pick is sought among every trial, unless the neighbourhoods are sparse
/// (a fine grid with more than four ordered parameters) and visiting every trial's would take more than
/// <see cref="WorkBudget"/> steps (<see cref="NeighbourhoodIndex.WorkPerQuery"/>): then among the best
/// WorkBudget / WorkPerQuery trials (at least the top k), which bounds the work in any dimension.
/// </summary>
internal static class RobustnessAnalysis
{
    public const long WorkBudget = 10_000_000;

    public static RobustnessSummary Analyze(LandscapeData data, RobustnessOptions options) => Analyze(data, options, WorkBudget);

    /// <param name="workBudget">The sparse search's budget (tests lower it).</param>
    internal static RobustnessSummary Analyze(LandscapeData data, RobustnessOptions options, long workBudget)
    {
        if (data.N == 0)
        {
            return new RobustnessSummary(double.NaN, double.NaN, [], null, null, 0);
        }

        double median = data.MedianScore();
        double spread = data.Scores[data.Ranked[0]] - median;
        var index = new NeighbourhoodIndex(data);
        var top = data.Ranked.Take(Math.Min(options.TopTrials, data.N)).Select(row => Entry(data, index, row, options.IsolationFraction * spread)).ToList();
        int candidates = (int)Math.Min(data.N, Math.Max(options.TopTrials, workBudget / index.WorkPerQuery));
        int pick = RobustPick(data, index, data.Ranked.AsSpan(0, candidates));
        var robust = pick < 0 ? null : Entry(data, index, pick, options.IsolationFraction * spread);
        return new RobustnessSummary(median, spread, top, top[0], robust, candidates);
    }

    /// <summary>The candidate with the highest neighbourhood mean among those with neighbours (ties: higher score, then
    /// lower trial number); -1 when none has a neighbour.</summary>
    private static int RobustPick(LandscapeData data, NeighbourhoodIndex index, ReadOnlySpan<int> candidates)
    {
        int pick = -1;
        double pickMean = double.NegativeInfinity;
        foreach (int i in candidates)
        {
            var (neighbours, mean) = index.Of(i);
            if (neighbours == 0)
            {
                continue;
            }

            bool better = pick < 0 || mean > pickMean
                || (mean == pickMean && (data.Scores[i] > data.Scores[pick]
                    || (data.Scores[i] == data.Scores[pick] && data.Numbers[i] < data.Numbers[pick])));
            if (better)
            {
                pick = i;
                pickMean = mean;
            }
        }

        return pick;
    }

    private static RobustnessEntry Entry(LandscapeData data, NeighbourhoodIndex index, int row, double isolationDrop)
    {
        var (neighbours, mean) = index.Of(row);
        double score = data.Scores[row];
        var cells = data.CellsOf(row);
        var edges = new RangeEdge[data.D];
        for (int a = 0; a < data.D; a++)
        {
            edges[a] = data.Axes[a].EdgeOf(cells[a]);
        }

        return new RobustnessEntry(data.Numbers[row], data.ValuesOf(row), score, mean, neighbours, neighbours > 0 && isolationDrop > 0 && score - mean > isolationDrop, edges);
    }
}
