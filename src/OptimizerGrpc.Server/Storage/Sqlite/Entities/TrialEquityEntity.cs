namespace OptimizerGrpc.Server.Storage.Sqlite.Entities;

/// <summary>
/// The sampled equity curve of one of a stage's best trials (little-endian doubles), kept for displays; see the
/// engine's <c>EquityKeeper</c> for which trials and how many.
/// </summary>
internal sealed class TrialEquityEntity
{
    public long StudyKey { get; set; }

    public long Number { get; set; }

    public int StageIndex { get; set; }

    public double Score { get; set; }

    public long StartBar { get; set; }

    public int Stride { get; set; }

    public long BarCount { get; set; }

    public byte[] Payload { get; set; } = [];
}
