namespace OptimizerGrpc.Core.Analysis.Landscape;

/// <summary>
/// Integer cell coordinates hashed into buckets, for neighbourhood searches that look only at adjacent buckets instead of
/// every pair of points. Two cells are adjacent when they differ by at most 1 on every ordered axis and are equal on every
/// exact (unordered) axis. The bucket key encodes, in mixed radix, the axes that fit in a long with at most
/// <see cref="MaxOrderedKeyAxes"/> ordered ones, so a cell has at most 3^4 = 81 adjacent keys; the other axes
/// (<see cref="CoversAll"/> false: more than four ordered parameters) are left out of the key, and the caller checks them
/// on each member of a bucket. That keeps the search exact in any dimension: past four ordered axes a bucket holds more
/// members, but scanning them in sequence costs far less than probing the hash 3^d times (729 probes at d = 6).
/// </summary>
internal sealed class CellGrid
{
    public const int MaxOrderedKeyAxes = 4;

    private readonly int[] _sizes;
    private readonly bool[] _ordered;
    private readonly long[] _radix;
    private readonly int[] _keyAxes;
    private readonly int[] _offKeyAxes;

    public CellGrid(int[] sizes, bool[] ordered)
    {
        _sizes = sizes;
        _ordered = ordered;
        _radix = new long[sizes.Length];
        var keyAxes = new List<int>();
        var offKeyAxes = new List<int>();
        long product = 1;
        int orderedInKey = 0;
        for (int a = 0; a < sizes.Length; a++)
        {
            bool fits = product <= long.MaxValue / Math.Max(1, sizes[a]) && (!ordered[a] || orderedInKey < MaxOrderedKeyAxes);
            if (fits)
            {
                _radix[a] = product;
                product *= Math.Max(1, sizes[a]);
                orderedInKey += ordered[a] ? 1 : 0;
                keyAxes.Add(a);
            }
            else
            {
                offKeyAxes.Add(a);
            }
        }

        _keyAxes = [.. keyAxes];
        _offKeyAxes = [.. offKeyAxes];
        MaxAdjacentKeys = (int)Math.Pow(3, orderedInKey);
    }

    /// <summary>Whether every axis is in the key, so that adjacent keys hold only adjacent cells.</summary>
    public bool CoversAll => _offKeyAxes.Length == 0;

    /// <summary>The most keys <see cref="AdjacentKeys"/> writes.</summary>
    public int MaxAdjacentKeys { get; }

    public long Key(ReadOnlySpan<int> cell)
    {
        long key = 0;
        foreach (int a in _keyAxes)
        {
            key += cell[a] * _radix[a];
        }

        return key;
    }

    /// <summary>Writes the keys of the buckets adjacent to <paramref name="cell"/>, its own first; returns how many.</summary>
    public int AdjacentKeys(ReadOnlySpan<int> cell, Span<long> keys)
    {
        keys[0] = Key(cell);
        int count = 1;
        foreach (int a in _keyAxes)
        {
            if (!_ordered[a])
            {
                continue;
            }

            int existing = count;
            for (int k = 0; k < existing; k++)
            {
                if (cell[a] > 0)
                {
                    keys[count++] = keys[k] - _radix[a];
                }

                if (cell[a] < _sizes[a] - 1)
                {
                    keys[count++] = keys[k] + _radix[a];
                }
            }
        }

        return count;
    }

    /// <summary>The axes the key leaves out, in axis order.</summary>
    public ReadOnlySpan<int> OffKeyAxes => _offKeyAxes;

    /// <summary>Whether a cell is adjacent, on the axes the key leaves out, to a cell given by its values on those axes alone.</summary>
    public bool AdjacentOffKey(ReadOnlySpan<int> cell, ReadOnlySpan<int> offKey)
    {
        for (int j = 0; j < _offKeyAxes.Length; j++)
        {
            int axis = _offKeyAxes[j];
            if (Math.Abs(cell[axis] - offKey[j]) > (_ordered[axis] ? 1 : 0))
            {
                return false;
            }
        }

        return true;
    }
}
