namespace OptimizerGrpc.Server.Storage;

/// <summary>A study row: the immutable spec and the engine's runtime state, both as protobuf bytes.</summary>
internal sealed class StudyEntity
{
    public long Key { get; set; }

    public string StudyId { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public int State { get; set; }

    public long CreateTimeMs { get; set; }

    public long UpdateTimeMs { get; set; }

    /// <summary>optimizer.v1.StudySpec bytes.</summary>
    public byte[] Spec { get; set; } = [];

    /// <summary>Engine state: counters, best trials, method snapshots (see <c>RuntimeSnapshot</c>).</summary>
    public byte[] Runtime { get; set; } = [];

    public long LastSequence { get; set; }
}

/// <summary>A trial row. Indexed columns for queries; the full trial as optimizer.v1.Trial bytes.</summary>
internal sealed class TrialEntity
{
    public long StudyKey { get; set; }

    public long Number { get; set; }

    public int StageIndex { get; set; }

    public int State { get; set; }

    public long Sequence { get; set; }

    public byte[] Payload { get; set; } = [];
}

/// <summary>An event row: optimizer.v1.StudyEvent bytes. Trial-finished events are not stored here;
/// they are read back from the trials table by sequence, so a million trials do not cost a million events.</summary>
internal sealed class EventEntity
{
    public long StudyKey { get; set; }

    public long Sequence { get; set; }

    public int Kind { get; set; }

    public byte[] Payload { get; set; } = [];
}
