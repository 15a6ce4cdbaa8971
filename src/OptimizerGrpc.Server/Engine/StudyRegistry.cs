using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using OptimizerGrpc.Core.Studies;
using OptimizerGrpc.Server.Engine.Store;

namespace OptimizerGrpc.Server.Engine;

/// <summary>A study to create: its plan and the spec document to store with it.</summary>
/// <param name="IsSameSpec">Whether a stored spec document matches this request (idempotent create).</param>
/// <param name="Owner">The creating caller's name ("" when the server does not authenticate).</param>
/// <param name="MayReuse">Whether the caller may be handed an existing study of the same id (idempotent create).</param>
internal sealed record NewStudy(
    string? StudyId, string DisplayName, byte[] SpecDocument, StudyPlan Plan, bool StartPaused, Func<byte[], bool> IsSameSpec,
    string Owner = "", Func<StudyEntry, bool>? MayReuse = null);

/// <summary>
/// All studies of the server. At start only a light index of the stored studies is read (<see cref="StudyEntry"/>);
/// a study's runtime (plan, method state, queue) is restored when it is first used and then kept, so memory and start
/// time do not grow with the studies nobody touches. A study not restored yet has no leases: restoring voids the
/// leases of the previous run anyway (they go back to PENDING), so nothing needs sweeping before its first use.
/// </summary>
internal sealed partial class StudyRegistry(
    IStudyStore store, ISpecCompiler compiler, EventHub events, TimeProvider time, ILogger<StudyRegistry> logger, EngineLimits? limits = null) : IDisposable
{
    private readonly ConcurrentDictionary<string, StudyEntry> _studies = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _createGate = new(1, 1);
    private readonly EngineLimits _limits = limits ?? EngineLimits.Unlimited;
    private long _nextKey;

    public IStudyStore Store => store;

    public EventHub Events => events;

    public EngineLimits Limits => _limits;

    /// <summary>Every study, restored or not (listing).</summary>
    public IEnumerable<StudyEntry> Entries => _studies.Values;

    /// <summary>The studies restored so far: the only ones that can hold leases or reserved numbers.</summary>
    public IEnumerable<StudyRuntime> Loaded => _studies.Values.Select(e => e.Runtime).OfType<StudyRuntime>();

    /// <summary>Indexes every stored study; each is restored on first use (<see cref="GetAsync"/>).</summary>
    public async Task LoadAsync(CancellationToken ct)
    {
        var rows = await store.LoadStudyIndexAsync(ct).ConfigureAwait(false);
        foreach (var row in rows)
        {
            _studies[row.StudyId] = new StudyEntry(row);
            _nextKey = Math.Max(_nextKey, row.Key);
        }

        LogIndexed(rows.Count);
    }

    /// <summary>The study's runtime, restored from the store on first use. <see cref="StudyNotFoundException"/> when there is none.</summary>
    public ValueTask<StudyRuntime> GetAsync(string studyId)
    {
        if (!_studies.TryGetValue(studyId, out var entry))
        {
            throw new StudyNotFoundException(studyId);
        }

        return entry.Runtime is { } runtime ? ValueTask.FromResult(runtime) : new ValueTask<StudyRuntime>(Restore(entry));
    }

    /// <summary>The study's runtime when it is restored already (hot paths that only act on restored studies).</summary>
    public bool TryGetLoaded(string studyId, out StudyRuntime runtime)
    {
        runtime = _studies.TryGetValue(studyId, out var entry) ? entry.Runtime! : null!;
        return runtime is not null;
    }

    public bool Contains(string studyId) => _studies.ContainsKey(studyId);

    /// <summary>The study's index entry (id, owner, state) without restoring it; <see cref="StudyNotFoundException"/> when there is none.</summary>
    public StudyEntry Find(string studyId) =>
        _studies.TryGetValue(studyId, out var entry) ? entry : throw new StudyNotFoundException(studyId);

    /// <summary>
    /// A read-only picture of a study that is not restored: its stored row and snapshot read into a runtime that is
    /// never registered or written (callers only take its <see cref="StudyRuntime.View"/> and spec), then dropped.
    /// </summary>
    public async Task<StudyRuntime> ReadDetachedAsync(StudyEntry entry, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Runtime is { } runtime)
        {
            return runtime;
        }

        var row = await store.LoadStudyAsync(entry.Key, ct).ConfigureAwait(false) ?? throw new StudyNotFoundException(entry.StudyId);
        return StudyRuntime.Detached(row, compiler.Compile(row.SpecDocument), store, events, time);
    }

    /// <summary>Creates a study, or returns the existing one when the id is taken by an identical spec.</summary>
    public async Task<(StudyRuntime Runtime, bool Created)> CreateAsync(NewStudy study, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(study);
        await _createGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            string id = string.IsNullOrEmpty(study.StudyId) ? Guid.NewGuid().ToString("N") : study.StudyId;
            if (_studies.TryGetValue(id, out var entry))
            {
                if (study.MayReuse is { } mayReuse && !mayReuse(entry))
                {
                    throw new StudyAccessDeniedException($"study {UserText.Quote(id)} exists and belongs to another owner; choose another id");
                }

                var existing = await GetAsync(id).ConfigureAwait(false);
                return study.IsSameSpec(existing.SpecDocument) ? (existing, false) : throw new StudyAlreadyExistsException(id);
            }

            if (_studies.Count >= _limits.MaxStudies)
            {
                throw new StudyLimitException($"the server holds {_studies.Count} studies, the most allowed ({_limits.MaxStudies}); delete finished studies first");
            }

            var row = new StoredStudy(++_nextKey, id, study.DisplayName, StudyState.Created, time.GetUtcNow().ToUnixTimeMilliseconds(), 0, study.SpecDocument, [], 0, study.Owner);
            var (runtime, committed) = StudyRuntime.Create(row, study.Plan, study.StartPaused, store, events, time, _limits);
            await committed.ConfigureAwait(false);
            _studies[id] = new StudyEntry(new StoredStudyIndex(row.Key, id, row.DisplayName, StudyState.Created, row.CreateTimeMs, row.CreateTimeMs, row.Owner)) { Runtime = runtime };
            LogCreated(id, study.Plan.Space.Count);
            return (runtime, true);
        }
        finally
        {
            _createGate.Release();
        }
    }

    public async Task DeleteAsync(string studyId)
    {
        if (!_studies.TryRemove(studyId, out var entry))
        {
            throw new StudyNotFoundException(studyId);
        }

        var runtime = entry.Runtime ?? (entry.Loading is { } loading ? await loading.ConfigureAwait(false) : null);
        var batch = new WriteBatch();
        batch.Add(new DeleteStudy(entry.Key));
        await store.Submit(batch).ConfigureAwait(false);
        runtime?.ReleaseLeaseCounts();
        runtime?.Changed.Pulse();
        events.Close(studyId);
    }

    /// <summary>Visits every trial of a study (of one stage, in some states), in number order, a page at a time.</summary>
    public async Task ScanAsync(
        long key, StudyPlan plan, int? stage, IReadOnlyCollection<TrialState> states, Action<TrialRecord> visit, CancellationToken ct, bool includeReturns = false)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(visit);
        const int PageSize = 10_000;
        long after = -1;
        while (true)
        {
            var page = await store.ListTrialsAsync(key, plan.Space, new TrialQuery(after, PageSize, stage, states, 0, includeReturns), ct).ConfigureAwait(false);
            foreach (var trial in page)
            {
                visit(trial);
            }

            if (page.Count < PageSize)
            {
                return;
            }

            after = page[^1].Number;
        }
    }

    public void Dispose() => _createGate.Dispose();

    // One restore per study: concurrent first uses share it; a failed restore is retried by the next use.
    private Task<StudyRuntime> Restore(StudyEntry entry)
    {
        lock (entry)
        {
            return entry.Loading ??= RestoreAsync(entry);
        }
    }

    private async Task<StudyRuntime> RestoreAsync(StudyEntry entry)
    {
        await Task.Yield(); // never run the restore inside Restore's lock
        try
        {
            // Not the caller's token: a restore shared by several callers must not fail because the first one left.
            var ct = CancellationToken.None;
            var row = await store.LoadStudyAsync(entry.Key, ct).ConfigureAwait(false) ?? throw new StudyNotFoundException(entry.StudyId);
            var plan = compiler.Compile(row.SpecDocument);
            var unfinished = await store.LoadUnfinishedTrialsAsync(row.Key, plan.Space, ct).ConfigureAwait(false);
            var finished = StudyBook.ReusesResults(plan) ? await ListAllFinishedAsync(row.Key, plan, ct).ConfigureAwait(false) : [];
            var (runtime, committed) = StudyRuntime.Restore(row, plan, unfinished, finished, store, events, time, _limits);
            runtime.RestoreEquity(await store.ReadEquityAsync(row.Key, null, ct).ConfigureAwait(false));
            await committed.ConfigureAwait(false);
            entry.Runtime = runtime;
            LogRestored(row.StudyId, unfinished.Count);
            if (runtime.SkippedNumbers > 0)
            {
                LogSkippedNumbers(row.StudyId, runtime.SkippedNumbers);
            }

            return runtime;
        }
        catch
        {
            lock (entry)
            {
                entry.Loading = null;
            }

            throw;
        }
    }

    /// <summary>Every completed or infeasible trial of a study, in number order (restore of reusable results).</summary>
    private async Task<List<TrialRecord>> ListAllFinishedAsync(long key, StudyPlan plan, CancellationToken ct)
    {
        var all = new List<TrialRecord>();
        await ScanAsync(key, plan, null, [TrialState.Completed, TrialState.Infeasible], all.Add, ct).ConfigureAwait(false);
        return all;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Restored study {StudyId} with {Unfinished} unfinished trials")]
    private partial void LogRestored(string studyId, int unfinished);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Study {StudyId} did not stop cleanly: {Count} reserved trial numbers are skipped, so none held by a worker is reused")]
    private partial void LogSkippedNumbers(string studyId, long count);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Created study {StudyId} over {Parameters} parameters")]
    private partial void LogCreated(string studyId, int parameters);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Indexed {Count} stored studies; each is restored on first use")]
    private partial void LogIndexed(int count);
}

/// <summary>
/// A study in the registry's index: what listing needs (id, key, name, state, times) and, once restored, its runtime.
/// </summary>
internal sealed class StudyEntry(StoredStudyIndex row)
{
    private StudyRuntime? _runtime;

    public long Key => row.Key;

    public string StudyId => row.StudyId;

    public string DisplayName => row.DisplayName;

    /// <summary>Who created the study ("" without authentication); rights to it follow from this.</summary>
    public string Owner => row.Owner;

    /// <summary>The study's state: its runtime's once restored, else as stored.</summary>
    public StudyState State => Runtime?.State ?? row.State;

    /// <summary>The restored runtime, or null until the study is first used.</summary>
    public StudyRuntime? Runtime
    {
        get => Volatile.Read(ref _runtime);
        set => Volatile.Write(ref _runtime, value);
    }

    /// <summary>The restore in progress or done (guarded by the entry's lock).</summary>
    public Task<StudyRuntime>? Loading { get; set; }
}
