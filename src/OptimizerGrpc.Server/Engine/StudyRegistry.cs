using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using OptimizerGrpc.Core.Studies;
using OptimizerGrpc.Server.Engine.Store;

namespace OptimizerGrpc.Server.Engine;

/// <summary>A study to create: its plan and the spec document to store with it.</summary>
/// <param name="IsSameSpec">Whether a stored spec document matches this request (idempotent create).</param>
internal sealed record NewStudy(string? StudyId, string DisplayName, byte[] SpecDocument, StudyPlan Plan, bool StartPaused, Func<byte[], bool> IsSameSpec);

/// <summary>All studies of the server, loaded at start and kept in memory (their trials live in the store).</summary>
internal sealed partial class StudyRegistry(
    IStudyStore store, ISpecCompiler compiler, EventHub events, TimeProvider time, ILogger<StudyRegistry> logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, StudyRuntime> _studies = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _createGate = new(1, 1);
    private long _nextKey;

    public IStudyStore Store => store;

    public EventHub Events => events;

    public IEnumerable<StudyRuntime> All => _studies.Values;

    /// <summary>Loads every stored study; leased trials go back to PENDING.</summary>
    public async Task LoadAsync(CancellationToken ct)
    {
        var rows = await store.LoadStudiesAsync(ct).ConfigureAwait(false);
        var commits = new List<Task>();
        foreach (var row in rows)
        {
            var plan = compiler.Compile(row.SpecDocument);
            var unfinished = await store.LoadUnfinishedTrialsAsync(row.Key, plan.Space, ct).ConfigureAwait(false);
            var finished = StudyBook.ReusesResults(plan) ? await ListAllFinishedAsync(row.Key, plan, ct).ConfigureAwait(false) : [];
            var (runtime, committed) = StudyRuntime.Restore(row, plan, unfinished, finished, store, events, time);
            runtime.RestoreEquity(await store.ReadEquityAsync(row.Key, null, ct).ConfigureAwait(false));
            _studies[row.StudyId] = runtime;
            commits.Add(committed);
            _nextKey = Math.Max(_nextKey, row.Key);
            LogRestored(row.StudyId, unfinished.Count);
            if (runtime.SkippedNumbers > 0)
            {
                LogSkippedNumbers(row.StudyId, runtime.SkippedNumbers);
            }
        }

        await Task.WhenAll(commits).ConfigureAwait(false);
    }

    public StudyRuntime Get(string studyId) =>
        _studies.TryGetValue(studyId, out var runtime) ? runtime : throw new StudyNotFoundException(studyId);

    public bool TryGet(string studyId, out StudyRuntime runtime) => _studies.TryGetValue(studyId, out runtime!);

    /// <summary>Creates a study, or returns the existing one when the id is taken by an identical spec.</summary>
    public async Task<(StudyRuntime Runtime, bool Created)> CreateAsync(NewStudy study, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(study);
        await _createGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            string id = string.IsNullOrEmpty(study.StudyId) ? Guid.NewGuid().ToString("N") : study.StudyId;
            if (_studies.TryGetValue(id, out var existing))
            {
                return study.IsSameSpec(existing.SpecDocument) ? (existing, false) : throw new StudyAlreadyExistsException(id);
            }

            var row = new StoredStudy(++_nextKey, id, study.DisplayName, StudyState.Created, time.GetUtcNow().ToUnixTimeMilliseconds(), 0, study.SpecDocument, [], 0);
            var (runtime, committed) = StudyRuntime.Create(row, study.Plan, study.StartPaused, store, events, time);
            await committed.ConfigureAwait(false);
            _studies[id] = runtime;
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
        if (!_studies.TryRemove(studyId, out var runtime))
        {
            throw new StudyNotFoundException(studyId);
        }

        var batch = new WriteBatch();
        batch.Add(new DeleteStudy(runtime.Key));
        await store.Submit(batch).ConfigureAwait(false);
        runtime.Changed.Pulse();
        events.Close(studyId);
    }

    /// <summary>Every completed or infeasible trial of a study, in number order (restore of reusable results).</summary>
    private async Task<List<TrialRecord>> ListAllFinishedAsync(long key, StudyPlan plan, CancellationToken ct)
    {
        var all = new List<TrialRecord>();
        await ScanAsync(key, plan, null, [TrialState.Completed, TrialState.Infeasible], all.Add, ct).ConfigureAwait(false);
        return all;
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

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Restored study {StudyId} with {Unfinished} unfinished trials")]
    private partial void LogRestored(string studyId, int unfinished);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Study {StudyId} did not stop cleanly: {Count} reserved trial numbers are skipped, so none held by a worker is reused")]
    private partial void LogSkippedNumbers(string studyId, long count);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Created study {StudyId} over {Parameters} parameters")]
    private partial void LogCreated(string studyId, int parameters);
}
