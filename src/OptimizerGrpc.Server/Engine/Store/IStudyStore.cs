using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Server.Engine.Store;

/// <summary>A stored study row as the engine restores it.</summary>
/// <param name="Owner">Who created the study: the caller's name when the server authenticates, else "".</param>
internal sealed record StoredStudy(
    long Key, string StudyId, string DisplayName, StudyState State, long CreateTimeMs, long UpdateTimeMs, byte[] SpecDocument, byte[] Runtime, long LastSequence,
    string Owner = "");

/// <summary>The light part of a stored study row, read for every study at start (no spec, no snapshot).</summary>
internal sealed record StoredStudyIndex(long Key, string StudyId, string DisplayName, StudyState State, long CreateTimeMs, long UpdateTimeMs, string Owner = "");

/// <summary>
/// Which trials to list: after a number (paging), of one stage, in some states, changed after a sequence;
/// <paramref name="IncludeReturns"/> also reads each trial's return summary (<see cref="TrialRecord.Returns"/>).
/// </summary>
internal sealed record TrialQuery(long AfterNumber, int PageSize, int? StageIndex, IReadOnlyCollection<TrialState> States, long AfterSequence, bool IncludeReturns = false);

/// <summary>
/// The store as the engine needs it. Writes go through <see cref="Submit"/> (group commit: the returned task completes
/// once the batch is durable); reads see committed data only. Trials are decoded against the study's space
/// (<paramref name="space"/> names the parameters). A second store (PostgreSQL) is a new implementation of this interface.
/// </summary>
internal interface IStudyStore
{
    /// <summary>Queues a batch; the task completes when it committed, or faults with <see cref="StoreFaultedException"/>.</summary>
    Task Submit(WriteBatch batch);

    /// <summary>Encodes trials and values inside the engine's runtime snapshots.</summary>
    ISnapshotCodec Codec { get; }

    Task<IReadOnlyList<StoredStudy>> LoadStudiesAsync(CancellationToken ct);

    /// <summary>The light index of every stored study, in key order.</summary>
    Task<IReadOnlyList<StoredStudyIndex>> LoadStudyIndexAsync(CancellationToken ct);

    /// <summary>One stored study row, or null when there is none.</summary>
    Task<StoredStudy?> LoadStudyAsync(long studyKey, CancellationToken ct);

    Task<IReadOnlyList<TrialRecord>> LoadUnfinishedTrialsAsync(long studyKey, SearchSpace space, CancellationToken ct);

    Task<TrialRecord?> ReadTrialAsync(long studyKey, long number, SearchSpace space, CancellationToken ct);

    /// <summary>One page of trials in number order.</summary>
    Task<IReadOnlyList<TrialRecord>> ListTrialsAsync(long studyKey, SearchSpace space, TrialQuery query, CancellationToken ct);

    /// <summary>
    /// Events with sequence in (after, upTo], in order, at most <paramref name="limit"/>: stored events merged, when
    /// <paramref name="includeTrials"/>, with trial-finished events rebuilt from the trials (same sequence). Stage
    /// events are decoded against the study's <paramref name="plan"/>.
    /// </summary>
    Task<IReadOnlyList<StudyEvent>> ReadEventsAsync(
        long studyKey, string studyId, StudyPlan plan, long after, long upTo, int limit, bool includeTrials, CancellationToken ct);

    /// <summary>
    /// The (number, rank score) of a stage's completed trials in number order, read from a column without decoding the
    /// trials; null when some completed trial of the stage was stored before scores were (the caller decodes instead).
    /// </summary>
    Task<IReadOnlyList<(long Number, double Score)>?> ReadScoresAsync(long studyKey, int stageIndex, CancellationToken ct);

    /// <summary>
    /// One page of a stage's trials (in some states) ordered by number, or by rank score (<paramref name="byScore"/>:
    /// trials without a score last, ties by number), and how many there are; null when ordering by score and a
    /// completed trial lacks its score.
    /// </summary>
    Task<(long Total, IReadOnlyList<TrialRecord> Page)?> ReadTrialsPageAsync(
        long studyKey, SearchSpace space, int stageIndex, IReadOnlyCollection<TrialState> states, bool byScore, bool descending, int offset, int limit, CancellationToken ct);

    /// <summary>The kept equity curves of a study (of one stage when <paramref name="stageIndex"/> is set), by stage, best first.</summary>
    Task<IReadOnlyList<KeptEquity>> ReadEquityAsync(long studyKey, int? stageIndex, CancellationToken ct);
}

/// <summary>
/// Encodes the trials and parameter values that the engine's runtime snapshot holds (best trials, fixed values,
/// waiting proposals) in the store's own encoding, so snapshots written by earlier versions stay readable.
/// </summary>
internal interface ISnapshotCodec
{
    byte[] EncodeTrial(TrialRecord trial);

    TrialRecord DecodeTrial(byte[] bytes, SearchSpace space);

    byte[] EncodeValue(ParamValue value);

    ParamValue DecodeValue(byte[] bytes);
}

/// <summary>Raised for writes after the store failed; the server reports it as UNAVAILABLE.</summary>
internal sealed class StoreFaultedException(Exception inner) : Exception("the store failed to commit and refuses writes: " + inner.Message, inner);
