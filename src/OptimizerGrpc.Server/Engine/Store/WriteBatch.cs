using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Server.Engine.Store;

/// <summary>One change of the store, in domain terms. Applied in order within a batch; batches in order of submission.</summary>
internal abstract record StoreChange;

/// <summary>A new study row: the client's spec document (stored verbatim, never interpreted by the engine).</summary>
internal sealed record InsertStudy(long Key, string StudyId, string DisplayName, StudyState State, long CreateTimeMs, byte[] SpecDocument, string Owner = "") : StoreChange;

/// <summary>The study's runtime row; each is a full snapshot, so a store may keep only the last one per study in a transaction.</summary>
internal sealed record UpdateStudy(long Key, StudyState State, long UpdateTimeMs, byte[] Runtime, long LastSequence) : StoreChange;

/// <summary>
/// Inserts or replaces a trial (by study and number), with its rank score when it completed (higher is better; stored
/// in a column of its own so displays read a stage's history without decoding trials).
/// </summary>
internal sealed record UpsertTrial(long StudyKey, TrialRecord Trial, double? Score = null) : StoreChange;

/// <summary>Appends an event. Trial-finished events are not stored as events: the trial row holds them (same sequence).</summary>
internal sealed record AppendEvent(long StudyKey, StudyEvent Event) : StoreChange;

/// <summary>Deletes a study with its trials and events.</summary>
internal sealed record DeleteStudy(long StudyKey) : StoreChange;

/// <summary>
/// Changes that must be durable together. <see cref="Committed"/> completes after the transaction that holds them has
/// committed, so a caller that awaits it before answering never acknowledges a lost write.
/// </summary>
internal sealed class WriteBatch
{
    private readonly TaskCompletionSource _committed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public List<StoreChange> Changes { get; } = [];

    /// <summary>Events to publish to live watchers once the batch has committed, in order.</summary>
    public List<StudyEvent> Published { get; } = [];

    /// <summary>Where <see cref="Published"/> goes after commit.</summary>
    public IEventPublisher? Publisher { get; set; }

    public Task Committed => _committed.Task;

    public bool IsEmpty => Changes.Count == 0;

    /// <summary>
    /// A batch that only hands out trials may commit without an fsync (synchronous=NORMAL): it survives a process
    /// crash, and if power loss takes it, it also takes everything after it (WAL commits are ordered), so the study
    /// resumes from before it. Its trial numbers lie in a durably reserved block that an unclean restart skips, so they
    /// are never issued again (a late result for one is NOT_FOUND). Results, creation, number reservations and state
    /// changes are never relaxed.
    /// </summary>
    public bool Relaxed { get; set; }

    public void Add(StoreChange change) => Changes.Add(change);

    public void MarkCommitted()
    {
        Publisher?.Publish(Published);
        _committed.TrySetResult();
    }

    public void MarkFailed(Exception error) => _committed.TrySetException(error);
}

/// <summary>Receives a batch's events after it committed, in commit order (the event hub).</summary>
internal interface IEventPublisher
{
    void Publish(IReadOnlyList<StudyEvent> events);
}
