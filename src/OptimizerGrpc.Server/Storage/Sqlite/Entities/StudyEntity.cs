namespace OptimizerGrpc.Server.Storage.Sqlite.Entities;

/// <summary>A study row: the spec document as created and the engine's runtime snapshot, both as bytes.</summary>
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

    /// <summary>Engine state: counters, best trials, method snapshots (see the engine's <c>RuntimeSnapshot</c>).</summary>
    public byte[] Runtime { get; set; } = [];

    public long LastSequence { get; set; }

    /// <summary>Who created the study ("" when the server did not authenticate callers, and in stores written before owners).</summary>
    public string Owner { get; set; } = "";
}
