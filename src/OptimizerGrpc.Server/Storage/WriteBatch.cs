namespace OptimizerGrpc.Server.Storage;

/// <summary>One write of the store. Applied in order within a batch; batches in order of submission.</summary>
internal abstract record WriteOp;

internal sealed record InsertStudyOp(
    long Key, string StudyId, string DisplayName, int State, long CreateTimeMs, byte[] Spec) : WriteOp;

/// <summary>The study's runtime row; each is a full snapshot, so within one transaction only the last one per study is written.</summary>
internal sealed record UpdateStudyOp(long Key, int State, long UpdateTimeMs, byte[] Runtime, long LastSequence) : WriteOp;

internal sealed record UpsertTrialOp(long StudyKey, long Number, int StageIndex, int State, long Sequence, byte[] Payload) : WriteOp;

internal sealed record InsertEventOp(long StudyKey, long Sequence, int Kind, byte[] Payload) : WriteOp;

internal sealed record DeleteStudyOp(long StudyKey) : WriteOp;

/// <summary>
/// Writes that must be durable together. <see cref="Committed"/> completes after the transaction that
/// holds them has committed, so a caller that awaits it before answering never acknowledges a lost write.
/// </summary>
internal sealed class WriteBatch
{
    private readonly TaskCompletionSource _committed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public List<WriteOp> Ops { get; } = [];

    /// <summary>Events to publish to live watchers once the batch has committed, in order.</summary>
    public List<Contracts.V1.StudyEvent> Published { get; } = [];

    /// <summary>Where <see cref="Published"/> goes after commit.</summary>
    public Engine.EventHub? Publisher { get; set; }

    public Task Committed => _committed.Task;

    public bool IsEmpty => Ops.Count == 0;

    /// <summary>
    /// A batch that only hands out trials may commit without an fsync (synchronous=NORMAL): it survives a process
    /// crash, and if power loss takes it, it also takes everything after it (WAL commits are ordered), so the study
    /// resumes from before it. Its trial numbers lie in a durably reserved block that an unclean restart skips, so they
    /// are never issued again (a late result for one is NOT_FOUND). Results, creation, number reservations and state
    /// changes are never relaxed.
    /// </summary>
    public bool Relaxed { get; set; }

    public void Add(WriteOp op) => Ops.Add(op);

    internal void MarkCommitted() => _committed.TrySetResult();

    internal void MarkFailed(Exception error) => _committed.TrySetException(error);
}
