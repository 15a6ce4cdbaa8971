namespace OptimizerGrpc.Server.Storage.Sqlite.Entities;

/// <summary>
/// A finished trial's return summary (the Core's <c>TrialReturns</c> bytes, under 1 KB): what the overfitting statistics
/// need, kept beside the trial rather than in its wire payload so listing trials does not carry it.
/// </summary>
internal sealed class TrialReturnsEntity
{
    public long StudyKey { get; set; }

    public long Number { get; set; }

    public int StageIndex { get; set; }

    public byte[] Payload { get; set; } = [];
}
