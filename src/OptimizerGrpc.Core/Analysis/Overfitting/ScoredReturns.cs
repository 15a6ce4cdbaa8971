namespace OptimizerGrpc.Core.Analysis.Overfitting;

/// <summary>
/// The per-period returns a trial was scored on, r_t = E[t] / E[t-1] - 1 (as the metrics count them): every return of
/// the record, or, in attribution mode, the returns of the bars inside the scored segments (indices into the record,
/// already shifted by its start bar). Summarised at tell time into the trial's <see cref="TrialReturns"/>, so the
/// overfitting statistics never need the bars again.
/// </summary>
public static class ScoredReturns
{
    /// <summary>The blocks kept per trial: S = 16 serves cross-validation with 2, 4, 8 or 16 blocks (merged pairwise).</summary>
    public const int StoredBlocks = 16;

    public static double[] Of(IReadOnlyList<double> equity, IReadOnlyList<(long Start, long End)>? segments)
    {
        ArgumentNullException.ThrowIfNull(equity);
        var returns = new double[Count(equity.Count, segments)];
        int k = 0;
        foreach (var (start, end) in Ranges(equity.Count, segments))
        {
            for (int t = start; t < end; t++)
            {
                returns[k++] = (equity[t] / equity[t - 1]) - 1;
            }
        }

        return returns;
    }

    /// <summary>
    /// The trial's return summary: <see cref="StoredBlocks"/> blocks of its scored returns, and per regime the sums of its
    /// returns on that regime's bars (<paramref name="regimes"/>, attribution-mode regime studies only). Null when the
    /// returns are too few (fewer than 2 per block) or not all finite. One pass per range, one array: it runs for every
    /// recorded result.
    /// </summary>
    public static TrialReturns? Summarize(
        IReadOnlyList<double> equity, IReadOnlyList<(long Start, long End)>? segments, IReadOnlyList<IReadOnlyList<(long Start, long End)>>? regimes)
    {
        ArgumentNullException.ThrowIfNull(equity);
        if (Count(equity.Count, segments) < 2 * StoredBlocks)
        {
            return null;
        }

        var returns = Of(equity, segments);
        if (!Array.TrueForAll(returns, double.IsFinite))
        {
            return null;
        }

        var perRegime = regimes?.Select(r => SumsOf(equity, r)).ToArray();
        return new TrialReturns(BlockReturns.FromReturns(returns, StoredBlocks), perRegime);
    }

    // The sums of the returns in the ranges, without materialising them.
    private static ReturnSums SumsOf(IReadOnlyList<double> equity, IReadOnlyList<(long Start, long End)> segments)
    {
        int n = 0;
        double s1 = 0, s2 = 0, s3 = 0, s4 = 0;
        foreach (var (start, end) in Ranges(equity.Count, segments))
        {
            for (int t = start; t < end; t++)
            {
                double r = (equity[t] / equity[t - 1]) - 1, r2 = r * r;
                n++;
                s1 += r;
                s2 += r2;
                s3 += r2 * r;
                s4 += r2 * r2;
            }
        }

        return new ReturnSums(n, s1, s2, s3, s4);
    }

    private static int Count(int points, IReadOnlyList<(long Start, long End)>? segments)
    {
        int count = 0;
        foreach (var (start, end) in Ranges(points, segments))
        {
            count += end - start;
        }

        return count;
    }

    // The return indices t (1 <= t < points) of the whole record or of each segment, clipped to the record.
    private static IEnumerable<(int Start, int End)> Ranges(int points, IReadOnlyList<(long Start, long End)>? segments)
    {
        if (segments is null)
        {
            yield return (1, Math.Max(1, points));
            yield break;
        }

        foreach (var (start, end) in segments)
        {
            int from = (int)Math.Clamp(start, 1, Math.Max(1, points)), to = (int)Math.Clamp(end, from, Math.Max(1, points));
            yield return (from, to);
        }
    }
}

/// <summary>
/// A trial's compact return summary: its scored returns in blocks, and its returns on each regime's bars. Serialized as
/// the blocks (<see cref="BlockReturns.ToBytes"/>, 578 bytes for 16 blocks) followed by the regime count and, per regime,
/// the count and the four power sums: well under the 1 KB per trial budget for a handful of regimes.
/// </summary>
public sealed record TrialReturns(BlockReturns Blocks, IReadOnlyList<ReturnSums>? Regimes)
{
    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream))
        {
            byte[] blocks = Blocks.ToBytes();
            w.Write(blocks.Length);
            w.Write(blocks);
            w.Write(Regimes?.Count ?? -1);
            foreach (var r in Regimes ?? [])
            {
                w.Write(r.Count);
                w.Write(r.Sum);
                w.Write(r.SumOfSquares);
                w.Write(r.SumOfCubes);
                w.Write(r.SumOfFourthPowers);
            }
        }

        return stream.ToArray();
    }

    public static TrialReturns FromBytes(byte[] bytes)
    {
        using var r = new BinaryReader(new MemoryStream(bytes));
        var blocks = BlockReturns.FromBytes(r.ReadBytes(r.ReadInt32()));
        int regimes = r.ReadInt32();
        ReturnSums[]? sums = regimes < 0 ? null : new ReturnSums[regimes];
        for (int i = 0; i < regimes; i++)
        {
            sums![i] = new ReturnSums(r.ReadInt32(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble());
        }

        return new TrialReturns(blocks, sums);
    }
}
