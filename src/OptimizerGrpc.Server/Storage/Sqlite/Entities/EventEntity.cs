namespace OptimizerGrpc.Server.Storage.Sqlite.Entities;

/// <summary>An event row: optimizer.v1.StudyEvent bytes. Trial-finished events are not stored here;
/// they are read back from the trials table by sequence, so a million trials do not cost a million events.</summary>
internal sealed class EventEntity
{
    public long StudyKey { get; set; }

    public long Sequence { get; set; }

    public int Kind { get; set; }

    public byte[] Payload { get; set; } = [];
}
