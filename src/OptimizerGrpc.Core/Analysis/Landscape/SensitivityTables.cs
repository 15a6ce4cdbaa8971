namespace OptimizerGrpc.Core.Analysis.Landscape;

/// <summary>
/// One-way and two-way tables of the score over the cells of the free parameters (see <see cref="LandscapeAxis"/>): per
/// parameter the count, best and mean score of each cell; per pair of the most important parameters, the best score and
/// count of each cell of their grid, the data a heatmap draws. One pass over the trials per table.
/// </summary>
internal static class SensitivityTables
{
    public static IReadOnlyList<ParameterSensitivity> PerParameter(LandscapeData data)
    {
        var tables = new List<ParameterSensitivity>(data.D);
        for (int a = 0; a < data.D; a++)
        {
            var axis = data.Axes[a];
            var counts = new long[axis.Cells];
            var sums = new double[axis.Cells];
            var best = new double[axis.Cells];
            Array.Fill(best, double.NaN);
            for (int i = 0; i < data.N; i++)
            {
                int cell = data.Cells[(i * data.D) + a];
                double score = data.Scores[i];
                counts[cell]++;
                sums[cell] += score;
                if (!(best[cell] >= score))
                {
                    best[cell] = score;
                }
            }

            var cells = new SensitivityCell[axis.Cells];
            for (int c = 0; c < axis.Cells; c++)
            {
                var (low, high, unitLow, unitHigh) = axis.Describe(c);
                cells[c] = new SensitivityCell(c, low, high, unitLow, unitHigh, counts[c], best[c], counts[c] > 0 ? sums[c] / counts[c] : double.NaN);
            }

            tables.Add(new ParameterSensitivity(axis.Parameter.Name, axis.Kind, cells));
        }

        return tables;
    }

    /// <summary>Surfaces for every pair of the first <paramref name="k"/> parameters of <paramref name="importanceOrder"/>
    /// (axis indices, most important first); the more important parameter of a pair gives the rows.</summary>
    public static IReadOnlyList<PairSurface> Pairs(LandscapeData data, IReadOnlyList<int> importanceOrder, int k)
    {
        int chosen = Math.Min(k, importanceOrder.Count);
        var surfaces = new List<PairSurface>(chosen * (chosen - 1) / 2);
        for (int x = 0; x < chosen; x++)
        {
            for (int y = x + 1; y < chosen; y++)
            {
                surfaces.Add(Surface(data, importanceOrder[x], importanceOrder[y]));
            }
        }

        return surfaces;
    }

    private static PairSurface Surface(LandscapeData data, int row, int column)
    {
        int rows = data.Axes[row].Cells;
        int columns = data.Axes[column].Cells;
        var best = new double[rows * columns];
        var counts = new long[rows * columns];
        Array.Fill(best, double.NaN);
        for (int i = 0; i < data.N; i++)
        {
            int cell = (data.Cells[(i * data.D) + row] * columns) + data.Cells[(i * data.D) + column];
            double score = data.Scores[i];
            counts[cell]++;
            if (!(best[cell] >= score))
            {
                best[cell] = score;
            }
        }

        return new PairSurface(data.Axes[row].Parameter.Name, data.Axes[column].Parameter.Name, rows, columns, best, counts);
    }
}
