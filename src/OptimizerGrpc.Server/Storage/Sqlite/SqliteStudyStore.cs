using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;
using OptimizerGrpc.Server.Engine.Store;
using OptimizerGrpc.Server.Storage.Sqlite.Codec;

namespace OptimizerGrpc.Server.Storage.Sqlite;

/// <summary>
/// The engine's store on SQLite: writes are encoded on the caller's thread and committed by the single
/// <see cref="StoreWriter"/> (group commit); reads go through EF Core (<see cref="StoreReader"/>).
/// </summary>
internal sealed class SqliteStudyStore(StoreWriter writer, StoreReader reader) : IStudyStore
{
    public ISnapshotCodec Codec => ProtoCodec.Instance;

    /// <summary>The writer, for its statistics (benchmarks and tests).</summary>
    public StoreWriter Writer => writer;

    public Task Submit(WriteBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var ops = new List<WriteOp>(batch.Changes.Count);
        foreach (var change in batch.Changes)
        {
            ops.Add(ProtoCodec.Instance.Encode(change));
        }

        return writer.SubmitAsync(new RowBatch(batch, ops));
    }

    public Task<IReadOnlyList<StoredStudy>> LoadStudiesAsync(CancellationToken ct) => reader.LoadStudiesAsync(ct);

    public Task<IReadOnlyList<StoredStudyIndex>> LoadStudyIndexAsync(CancellationToken ct) => reader.LoadStudyIndexAsync(ct);

    public Task<StoredStudy?> LoadStudyAsync(long studyKey, CancellationToken ct) => reader.LoadStudyAsync(studyKey, ct);

    public Task<IReadOnlyList<TrialRecord>> LoadUnfinishedTrialsAsync(long studyKey, SearchSpace space, CancellationToken ct) =>
        reader.LoadUnfinishedTrialsAsync(studyKey, space, ct);

    public Task<TrialRecord?> ReadTrialAsync(long studyKey, long number, SearchSpace space, CancellationToken ct) =>
        reader.ReadTrialAsync(studyKey, number, space, ct);

    public Task<IReadOnlyList<TrialRecord>> ListTrialsAsync(long studyKey, SearchSpace space, TrialQuery query, CancellationToken ct) =>
        reader.ListTrialsAsync(studyKey, space, query, ct);

    public Task<IReadOnlyList<StudyEvent>> ReadEventsAsync(
        long studyKey, string studyId, StudyPlan plan, long after, long upTo, int limit, bool includeTrials, CancellationToken ct) =>
        reader.ReadEventsAsync(studyKey, studyId, plan, after, upTo, limit, includeTrials, ct);

    public Task<IReadOnlyList<(long Number, double Score)>?> ReadScoresAsync(long studyKey, int stageIndex, CancellationToken ct) =>
        reader.ReadScoresAsync(studyKey, stageIndex, ct);

    public Task<(long Total, IReadOnlyList<TrialRecord> Page)?> ReadTrialsPageAsync(
        long studyKey, SearchSpace space, int stageIndex, IReadOnlyCollection<TrialState> states, bool byScore, bool descending, int offset, int limit, CancellationToken ct) =>
        reader.ReadTrialsPageAsync(studyKey, space, stageIndex, states, byScore, descending, offset, limit, ct);

    public Task<IReadOnlyList<KeptEquity>> ReadEquityAsync(long studyKey, int? stageIndex, CancellationToken ct) =>
        reader.ReadEquityAsync(studyKey, stageIndex, ct);
}
