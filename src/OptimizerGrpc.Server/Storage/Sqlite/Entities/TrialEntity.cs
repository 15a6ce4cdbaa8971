namespace OptimizerGrpc.Server.Storage.Sqlite.Entities;

/// <summary>A trial row. Indexed columns for queries; the full trial as optimizer.v1.Trial bytes.</summary>
internal sealed class TrialEntity
{
    public long StudyKey { get; set; }

    public long Number { get; set; }

    public int StageIndex { get; set; }

    public int State { get; set; }

    public long Sequence { get; set; }

    public byte[] Payload { get; set; } = [];

    /// <summary>The rank score of a completed trial (higher is better); null otherwise, and for rows stored before the column existed.</summary>
    public double? Score { get; set; }
}
