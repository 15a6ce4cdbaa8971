using OptimizerGrpc.Server.Engine.Store;

namespace OptimizerGrpc.Server.Storage.Sqlite;

/// <summary>One row write of the SQLite store, already encoded. Applied in order within a batch; batches in order of submission.</summary>
internal abstract record WriteOp;

internal sealed record InsertStudyOp(
    long Key, string StudyId, string DisplayName, int State, long CreateTimeMs, byte[] Spec, string Owner) : WriteOp;

/// <summary>The study's runtime row; each is a full snapshot, so within one transaction only the last one per study is written.</summary>
internal sealed record UpdateStudyOp(long Key, int State, long UpdateTimeMs, byte[] Runtime, long LastSequence) : WriteOp;

/// <summary>A trial row; <paramref name="Returns"/> is its return summary, written beside it when set.</summary>
internal sealed record UpsertTrialOp(long StudyKey, long Number, int StageIndex, int State, long Sequence, byte[] Payload, byte[]? Returns, double? Score = null) : WriteOp;

internal sealed record InsertEventOp(long StudyKey, long Sequence, int Kind, byte[] Payload) : WriteOp;

internal sealed record DeleteStudyOp(long StudyKey) : WriteOp;

/// <summary>A kept equity curve; <paramref name="Payload"/> is its values as little-endian doubles.</summary>
internal sealed record UpsertEquityOp(long StudyKey, long Number, int StageIndex, double Score, long StartBar, int Stride, long BarCount, byte[] Payload) : WriteOp;

/// <summary>Deletes a stage's kept curves except those of <paramref name="KeepJson"/> (a JSON array of trial numbers).</summary>
internal sealed record PruneEquityOp(long StudyKey, int StageIndex, string KeepJson) : WriteOp;

/// <summary>An engine batch encoded as rows on the caller's thread, so the single writer only binds and executes.</summary>
internal sealed class RowBatch(WriteBatch source, List<WriteOp> ops)
{
    public WriteBatch Source { get; } = source;

    public List<WriteOp> Ops { get; } = ops;

    public bool Relaxed => Source.Relaxed;

    public void MarkCommitted() => Source.MarkCommitted();

    public void MarkFailed(Exception error) => Source.MarkFailed(error);
}
