namespace OptimizerGrpc.Core.Analysis.Landscape;

/// <summary>
/// Items grouped by a bucket key (see <see cref="CellGrid"/>) in compressed-row form: <see cref="Order"/> lists the items
/// key by key, so the items of one bucket are contiguous and a neighbourhood scan reads memory in sequence instead of
/// chasing links. Built with one counting sort, O(items).
/// </summary>
internal sealed class KeySegments
{
    private readonly Dictionary<long, int> _ids = [];

    public KeySegments(ReadOnlySpan<long> keys)
    {
        SegmentOf = new int[keys.Length];
        var sizes = new List<int>();
        for (int i = 0; i < keys.Length; i++)
        {
            if (!_ids.TryGetValue(keys[i], out int id))
            {
                _ids[keys[i]] = id = sizes.Count;
                sizes.Add(0);
            }

            SegmentOf[i] = id;
            sizes[id]++;
        }

        Start = new int[sizes.Count + 1];
        for (int s = 0; s < sizes.Count; s++)
        {
            Start[s + 1] = Start[s] + sizes[s];
        }

        Order = new int[keys.Length];
        var fill = Start[..^1];
        for (int i = 0; i < keys.Length; i++)
        {
            Order[fill[SegmentOf[i]]++] = i;
        }
    }

    /// <summary>Items, segment by segment; segment s is Order[Start[s]..Start[s + 1]], items in their original order.</summary>
    public int[] Order { get; }

    /// <summary>Where each segment starts in <see cref="Order"/>, plus the total at the end.</summary>
    public int[] Start { get; }

    public int[] SegmentOf { get; }

    public int Count => Start.Length - 1;

    public bool TryGetSegment(long key, out int segment) => _ids.TryGetValue(key, out segment);

    /// <summary>Writes the segments of the keys that are present; returns how many.</summary>
    public int Present(ReadOnlySpan<long> keys, Span<int> segments)
    {
        int found = 0;
        foreach (long key in keys)
        {
            if (_ids.TryGetValue(key, out int s))
            {
                segments[found++] = s;
            }
        }

        return found;
    }
}
