namespace OptimizerGrpc.Core.Analysis.Landscape;

/// <summary>
/// The neighbourhood of a trial: the trials in the same or an adjacent cell on every free parameter (±1 cell on ordered
/// parameters, the same choice on unordered ones), itself excluded; reported as its size and mean score.
/// When the grid of cells is small (at most <see cref="DenseLimit"/>(N) cells) every cell's neighbourhood totals come at
/// once from a dense array of per-cell sums filtered by a 3-wide box along each ordered axis in turn (the box sum is
/// separable): O(d × cells), and a trial's mean is (its cell's total − own score) / (count − 1).
/// Otherwise (<see cref="Dense"/> false) trials are grouped by <see cref="CellGrid"/> key and a query adds up the
/// adjacent keys' groups, checking each member on the axes the key leaves out: exact in any dimension, at about
/// <see cref="WorkPerQuery"/> steps a query.
/// </summary>
internal sealed class NeighbourhoodIndex
{
    private readonly LandscapeData _data;

    // Dense path: the cell of each row, and each cell's neighbourhood totals.
    private readonly int[] _cellOf = [];
    private readonly double[] _totals = [];
    private readonly long[] _counts = [];

    // Sparse path: rows grouped by key; each group's sums, and its rows' scores and off-key cells in group order.
    private readonly CellGrid? _grid;
    private readonly KeySegments? _groups;
    private readonly double[] _groupSums = [];
    private readonly double[] _slotScores = [];
    private readonly int[] _slotOffKey = [];
    private readonly long[] _keys = [];
    private readonly int[] _found = [];

    public NeighbourhoodIndex(LandscapeData data)
        : this(data, DenseLimit(data.N))
    {
    }

    /// <param name="denseLimit">The most cells the dense path allocates (tests force either path).</param>
    internal NeighbourhoodIndex(LandscapeData data, long denseLimit)
    {
        _data = data;
        long cells = 1;
        foreach (var axis in data.Axes)
        {
            cells = cells > denseLimit ? cells : cells * axis.Cells;
        }

        if (cells <= denseLimit)
        {
            _cellOf = new int[data.N];
            (_totals, _counts) = DenseTotals(data, (int)cells, _cellOf);
            return;
        }

        _grid = new CellGrid([.. data.Axes.Select(a => a.Cells)], [.. data.Axes.Select(a => a.Ordered)]);
        var keys = new long[data.N];
        for (int i = 0; i < data.N; i++)
        {
            keys[i] = _grid.Key(data.CellsOf(i));
        }

        _groups = new KeySegments(keys);
        int off = _grid.OffKeyAxes.Length;
        _groupSums = new double[_groups.Count];
        _slotScores = new double[data.N];
        _slotOffKey = new int[data.N * off];
        for (int slot = 0; slot < data.N; slot++)
        {
            int row = _groups.Order[slot];
            _slotScores[slot] = data.Scores[row];
            _groupSums[_groups.SegmentOf[row]] += data.Scores[row];
            var cell = data.CellsOf(row);
            for (int j = 0; j < off; j++)
            {
                _slotOffKey[(slot * off) + j] = cell[_grid.OffKeyAxes[j]];
            }
        }

        _keys = new long[_grid.MaxAdjacentKeys];
        _found = new int[_grid.MaxAdjacentKeys];
    }

    /// <summary>Dense arrays stay below 8 cells per trial (and 2^21 cells, 24 MB), so they never outweigh the trials.</summary>
    public static long DenseLimit(int trials) => Math.Min(1 << 21, (8L * trials) + 1024);

    /// <summary>Whether every neighbourhood was computed at once, so that a query costs nothing.</summary>
    public bool Dense => _grid is null;

    /// <summary>About how many hash probes and member checks a sparse query takes: the adjacent keys, each with the
    /// mean group size unless the key covers every axis.</summary>
    public long WorkPerQuery => _grid is null ? 1 : _grid.MaxAdjacentKeys * (1 + (_grid.CoversAll ? 0 : _data.N / Math.Max(1, _groups!.Count)));

    /// <summary>The number of the row's neighbours and their mean score (NaN without neighbours).</summary>
    public (long Neighbours, double Mean) Of(int row)
    {
        var (total, count) = _grid is null ? (_totals[_cellOf[row]], _counts[_cellOf[row]]) : SparseTotals(row);
        long n = count - 1;
        return (n, n > 0 ? (total - _data.Scores[row]) / n : double.NaN);
    }

    private (double Total, long Count) SparseTotals(int row)
    {
        var grid = _grid!;
        var groups = _groups!;
        var own = _data.CellsOf(row);
        int off = grid.OffKeyAxes.Length;
        int present = groups.Present(_keys.AsSpan(0, grid.AdjacentKeys(own, _keys)), _found);
        double total = 0;
        long count = 0;
        for (int k = 0; k < present; k++)
        {
            int g = _found[k];
            if (grid.CoversAll)
            {
                total += _groupSums[g];
                count += groups.Start[g + 1] - groups.Start[g];
                continue;
            }

            for (int slot = groups.Start[g]; slot < groups.Start[g + 1]; slot++)
            {
                if (grid.AdjacentOffKey(own, _slotOffKey.AsSpan(slot * off, off)))
                {
                    total += _slotScores[slot];
                    count++;
                }
            }
        }

        return (total, count);
    }

    private static (double[] Totals, long[] Counts) DenseTotals(LandscapeData data, int size, int[] cellOf)
    {
        var strides = new int[data.D];
        int stride = 1;
        for (int a = 0; a < data.D; a++)
        {
            strides[a] = stride;
            stride *= data.Axes[a].Cells;
        }

        var totals = new double[size];
        var counts = new long[size];
        for (int i = 0; i < data.N; i++)
        {
            var cell = data.CellsOf(i);
            int index = 0;
            for (int a = 0; a < data.D; a++)
            {
                index += cell[a] * strides[a];
            }

            cellOf[i] = index;
            totals[index] += data.Scores[i];
            counts[index]++;
        }

        for (int a = 0; a < data.D; a++)
        {
            if (data.Axes[a].Ordered)
            {
                BoxSum(totals, strides[a], data.Axes[a].Cells);
                BoxSum(counts, strides[a], data.Axes[a].Cells);
            }
        }

        return (totals, counts);
    }

    /// <summary>Replaces each value by the sum of itself and its two neighbours along one axis, in place.</summary>
    private static void BoxSum<T>(T[] values, int stride, int length)
        where T : System.Numerics.INumber<T>
    {
        int block = stride * length;
        for (int outer = 0; outer < values.Length; outer += block)
        {
            for (int start = outer; start < outer + stride; start++)
            {
                T previous = T.Zero;
                T current = values[start];
                for (int k = 0; k < length; k++)
                {
                    T next = k + 1 < length ? values[start + ((k + 1) * stride)] : T.Zero;
                    values[start + (k * stride)] = previous + current + next;
                    previous = current;
                    current = next;
                }
            }
        }
    }
}
