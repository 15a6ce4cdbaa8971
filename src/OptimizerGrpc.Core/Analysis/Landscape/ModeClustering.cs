namespace OptimizerGrpc.Core.Analysis.Landscape;

/// <summary>
/// Modes: DBSCAN (Ester, Kriegel, Sander and Xu, KDD 1996) over the best trials' unit positions. Two trials are within ε
/// when they share every unordered parameter's choice and their Euclidean distance over the ordered parameters is at
/// most ε = radius × √(ordered parameters), a fraction of the unit cube's diagonal; a core trial has at least MinPts
/// trials within ε, itself included; a mode is a maximal set of core trials chained within ε plus the trials within ε of
/// them; the rest is noise. Trials are visited best first, so a border trial within reach of two modes joins the one
/// seeded by the better trial.
/// Range queries look only at the adjacent cells of a grid of side ε (<see cref="CellGrid"/>), whose trials lie
/// contiguously (<see cref="KeySegments"/>). The core test stops at MinPts; each cell keeps its unclaimed trials at the
/// front of its segment, and expansion scans only those, so a dense mode costs about MinPts distance checks per trial
/// rather than its size.
/// </summary>
internal sealed class ModeClustering
{
    private const int Noise = -1;
    private const int Unvisited = -2;

    private readonly int _d;
    private readonly int _minPoints;
    private readonly double _epsilonSquared;
    private readonly bool[] _ordered;
    private readonly CellGrid _grid;
    private readonly int[] _cells;
    private readonly double[] _coords;
    private readonly KeySegments _segments;

    // Slot s of the segments holds trial _slotPoint[s] with coordinates _slotCoords[s * d ..]; the first _open[g] slots of
    // segment g hold its unclaimed trials.
    private readonly int[] _slotPoint;
    private readonly int[] _slotOf;
    private readonly double[] _slotCoords;
    private readonly int[] _open;
    private readonly sbyte[] _core;
    private readonly long[] _keys;
    private readonly int[] _found;

    private ModeClustering(LandscapeData data, int[] rows, ModeOptions options)
    {
        _d = data.D;
        _minPoints = options.MinPoints;
        _ordered = [.. data.Axes.Select(a => a.Ordered)];
        Epsilon = options.Radius * Math.Sqrt(_ordered.Count(o => o));
        _epsilonSquared = Epsilon * Epsilon;

        // Ordered axes: cells of side ε over [0, 1]; unordered axes: the choice itself.
        int side = Epsilon > 0 ? (int)(1 / Epsilon) + 1 : 1;
        _grid = new CellGrid([.. data.Axes.Select((a, i) => _ordered[i] ? side : a.Cells)], _ordered);
        int n = rows.Length;
        _cells = new int[n * _d];
        _coords = new double[n * _d];
        var keys = new long[n];
        for (int p = 0; p < n; p++)
        {
            data.UnitsOf(rows[p]).CopyTo(_coords.AsSpan(p * _d, _d));
            for (int a = 0; a < _d; a++)
            {
                _cells[(p * _d) + a] = _ordered[a] ? Math.Min((int)(_coords[(p * _d) + a] / Epsilon), side - 1) : data.CellsOf(rows[p])[a];
            }

            keys[p] = _grid.Key(_cells.AsSpan(p * _d, _d));
        }

        _segments = new KeySegments(keys);
        _slotPoint = [.. _segments.Order];
        _slotOf = new int[n];
        _slotCoords = new double[n * _d];
        for (int s = 0; s < n; s++)
        {
            _slotOf[_slotPoint[s]] = s;
            _coords.AsSpan(_slotPoint[s] * _d, _d).CopyTo(_slotCoords.AsSpan(s * _d, _d));
        }

        _open = new int[_segments.Count];
        for (int g = 0; g < _segments.Count; g++)
        {
            _open[g] = _segments.Start[g + 1] - _segments.Start[g];
        }

        _core = new sbyte[n];
        _keys = new long[_grid.MaxAdjacentKeys];
        _found = new int[_grid.MaxAdjacentKeys];
    }

    public double Epsilon { get; }

    /// <summary>Clusters the given rows (best first); returns each row's mode, or -1 for noise, and the number of modes.</summary>
    public static (int[] Labels, int Modes, double Epsilon) Run(LandscapeData data, int[] rows, ModeOptions options)
    {
        var clustering = new ModeClustering(data, rows, options);
        var (labels, modes) = clustering.Dbscan(rows.Length);
        return (labels, modes, clustering.Epsilon);
    }

    private (int[] Labels, int Modes) Dbscan(int n)
    {
        var labels = new int[n];
        Array.Fill(labels, Unvisited);
        var frontier = new Stack<int>();
        var found = new List<int>();
        int modes = 0;
        for (int p = 0; p < n; p++)
        {
            if (labels[p] != Unvisited)
            {
                continue;
            }

            if (!IsCore(p))
            {
                labels[p] = Noise;
                continue;
            }

            int mode = modes++;
            Claim(p, mode, labels);
            frontier.Push(p);
            while (frontier.Count > 0)
            {
                OpenWithin(frontier.Pop(), found);
                foreach (int q in found)
                {
                    Claim(q, mode, labels);
                    if (IsCore(q))
                    {
                        frontier.Push(q);
                    }
                }
            }
        }

        return (labels, modes);
    }

    private bool IsCore(int p)
    {
        if (_core[p] == 0)
        {
            int count = 0;
            int segments = AdjacentSegments(p);
            for (int k = 0; k < segments && count < _minPoints; k++)
            {
                int g = _found[k];
                for (int s = _segments.Start[g]; s < _segments.Start[g + 1] && count < _minPoints; s++)
                {
                    count += Within(p, s) ? 1 : 0;
                }
            }

            _core[p] = count >= _minPoints ? (sbyte)1 : (sbyte)-1;
        }

        return _core[p] > 0;
    }

    /// <summary>The unclaimed trials within ε of <paramref name="p"/>.</summary>
    private void OpenWithin(int p, List<int> found)
    {
        found.Clear();
        int segments = AdjacentSegments(p);
        for (int k = 0; k < segments; k++)
        {
            int g = _found[k];
            for (int s = _segments.Start[g]; s < _segments.Start[g] + _open[g]; s++)
            {
                if (Within(p, s))
                {
                    found.Add(_slotPoint[s]);
                }
            }
        }
    }

    /// <summary>Gives a trial to a mode and moves it behind its segment's unclaimed trials.</summary>
    private void Claim(int p, int mode, int[] labels)
    {
        labels[p] = mode;
        int g = _segments.SegmentOf[p];
        int last = _segments.Start[g] + --_open[g];
        int slot = _slotOf[p];
        int other = _slotPoint[last];
        (_slotPoint[slot], _slotPoint[last]) = (other, p);
        (_slotOf[other], _slotOf[p]) = (slot, last);
        _coords.AsSpan(other * _d, _d).CopyTo(_slotCoords.AsSpan(slot * _d, _d));
        _coords.AsSpan(p * _d, _d).CopyTo(_slotCoords.AsSpan(last * _d, _d));
    }

    /// <summary>Writes the occupied segments adjacent to <paramref name="p"/>'s cell (its own first) into _found.</summary>
    private int AdjacentSegments(int p)
    {
        int keys = _grid.AdjacentKeys(_cells.AsSpan(p * _d, _d), _keys);
        return _segments.Present(_keys.AsSpan(0, keys), _found);
    }

    private bool Within(int p, int slot)
    {
        var a = _coords.AsSpan(p * _d, _d);
        var b = _slotCoords.AsSpan(slot * _d, _d);
        double squared = 0;
        for (int axis = 0; axis < a.Length; axis++)
        {
            double delta = a[axis] - b[axis];
            if (_ordered[axis])
            {
                squared += delta * delta;
            }
            else if (delta != 0)
            {
                return false;
            }
        }

        return squared <= _epsilonSquared;
    }
}
