namespace OptimizerGrpc.Core.Studies;

/// <summary>One reason trials failed for, and how many did.</summary>
public readonly record struct FailureCount(string Reason, long Count);

/// <summary>
/// Counts a study's FAILED trials by reason, so a study stopped by its failure budget (and any study with failures)
/// can say what went wrong most often. A reason is counted by its first line (a client's traceback follows it), cut at
/// <see cref="MaxReasonLength"/> characters. At most <see cref="MaxDistinct"/> distinct reasons are kept; later new
/// ones are counted together as <see cref="OtherReasons"/>, so the tally stays small whatever the trials report.
/// </summary>
public sealed class FailureTally
{
    /// <summary>The most characters of a reason the tally keeps (256).</summary>
    public const int MaxReasonLength = 256;

    /// <summary>The most distinct reasons the tally keeps (64).</summary>
    public const int MaxDistinct = 64;

    /// <summary>The reason under which failures past <see cref="MaxDistinct"/> distinct reasons are counted.</summary>
    public const string OtherReasons = "other reasons";

    // Insertion order breaks ties between equal counts: the reason seen first comes first.
    private readonly List<string> _order = [];
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    /// <summary>FAILED trials counted.</summary>
    public long Total { get; private set; }

    public void Add(string reason)
    {
        string key = KeyOf(reason);
        if (!_counts.ContainsKey(key) && _counts.Count >= MaxDistinct)
        {
            key = OtherReasons;
        }

        if (_counts.TryGetValue(key, out long count))
        {
            _counts[key] = count + 1;
        }
        else
        {
            _counts[key] = 1;
            _order.Add(key);
        }

        Total++;
    }

    /// <summary>The <paramref name="count"/> most common reasons, most frequent first (ties: first seen first).</summary>
    public IReadOnlyList<FailureCount> Top(int count) =>
        [.. _order.Select(r => new FailureCount(r, _counts[r])).OrderByDescending(f => f.Count).Take(count)];

    /// <summary>The first line of a reason, cut at <see cref="MaxReasonLength"/> characters (never inside a surrogate pair).</summary>
    public static string KeyOf(string? reason)
    {
        reason ??= "";
        int newline = reason.AsSpan().IndexOfAny('\r', '\n');
        var line = (newline >= 0 ? reason[..newline] : reason).TrimEnd();
        if (line.Length <= MaxReasonLength)
        {
            return line;
        }

        int length = char.IsHighSurrogate(line[MaxReasonLength - 1]) ? MaxReasonLength - 1 : MaxReasonLength;
        return line[..length];
    }

    public void Write(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Total);
        writer.Write(_order.Count);
        foreach (var reason in _order)
        {
            writer.Write(reason);
            writer.Write(_counts[reason]);
        }
    }

    public static FailureTally Read(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var tally = new FailureTally { Total = reader.ReadInt64() };
        int distinct = reader.ReadInt32();
        for (int i = 0; i < distinct; i++)
        {
            string reason = reader.ReadString();
            tally._counts[reason] = reader.ReadInt64();
            tally._order.Add(reason);
        }

        return tally;
    }
}
