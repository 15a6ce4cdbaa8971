using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Server.Services;
using OptimizerGrpc.Server.Storage;

namespace OptimizerGrpc.Server.Engine;

/// <summary>All studies of the server, loaded at start and kept in memory (their trials live in the store).</summary>
internal sealed partial class StudyRegistry(StoreWriter writer, StoreReader reader, EventHub events, TimeProvider time, ILogger<StudyRegistry> logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, StudyRuntime> _studies = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _createGate = new(1, 1);
    private long _nextKey;

    public StoreReader Reader => reader;

    public EventHub Events => events;

    public IEnumerable<StudyRuntime> All => _studies.Values;

    /// <summary>Loads every stored study; leased trials go back to PENDING.</summary>
    public async Task LoadAsync(CancellationToken ct)
    {
        var rows = await reader.LoadStudiesAsync(ct).ConfigureAwait(false);
        var commits = new List<Task>();
        foreach (var row in rows)
        {
            var spec = StudySpec.Parser.ParseFrom(row.Spec);
            var plan = StudySpecCompiler.Compile(spec);
            var unfinished = await reader.LoadUnfinishedTrialsAsync(row.Key, ct).ConfigureAwait(false);
            var finished = NeedsFinished(spec, plan) ? await reader.ListAllFinishedAsync(row.Key, ct).ConfigureAwait(false) : [];
            var (runtime, committed) = StudyRuntime.Restore(row, spec, plan, unfinished, finished, writer, events, time, reader.ReadTrialAsync);
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

    // Only stages over fully discrete spaces remember evaluated assignments (see StageRuntime.Evaluated).
    private static bool NeedsFinished(StudySpec spec, StudyPlan plan) =>
        !(spec.Method?.AllowRepeats ?? false)
        && plan.Stages.Any(st => st.Space.Parameters.All(p => p.Domain is not Core.Spaces.FloatDomain { Step: null }));

    public StudyRuntime Get(string studyId) =>
        _studies.TryGetValue(studyId, out var runtime) ? runtime : throw RpcErrors.NotFound($"study '{studyId}' not found");

    public bool TryGet(string studyId, out StudyRuntime runtime) => _studies.TryGetValue(studyId, out runtime!);

    /// <summary>Creates a study, or returns the existing one when the id is taken by an identical spec.</summary>
    public async Task<(StudyRuntime Runtime, bool Created)> CreateAsync(string? studyId, StudySpec spec, bool startPaused, CancellationToken ct)
    {
        var stored = spec.Clone();
        stored.Method ??= new MethodSpec { Random = new RandomSearchSettings() };
        if (!stored.Method.HasSeed)
        {
            // An unseeded study still gets a seed, stored with it, so a restart continues the same trajectory.
            stored.Method.Seed = (ulong)Random.Shared.NextInt64();
        }

        var plan = StudySpecCompiler.Compile(stored);
        await _createGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            string id = string.IsNullOrEmpty(studyId) ? Guid.NewGuid().ToString("N") : studyId;
            if (_studies.TryGetValue(id, out var existing))
            {
                return SameSpec(existing.Spec, spec)
                    ? (existing, false)
                    : throw RpcErrors.AlreadyExists($"study '{id}' exists with a different spec");
            }

            var (runtime, committed) = StudyRuntime.Create(++_nextKey, id, stored, plan, startPaused, writer, events, time, reader.ReadTrialAsync);
            await committed.ConfigureAwait(false);
            _studies[id] = runtime;
            LogCreated(id, plan.Space.Count);
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
            throw RpcErrors.NotFound($"study '{studyId}' not found");
        }

        var batch = new WriteBatch();
        batch.Add(new DeleteStudyOp(runtime.Key));
        await writer.SubmitAsync(batch).ConfigureAwait(false);
        runtime.Changed.Pulse();
        events.Close(studyId);
    }

    public void Dispose() => _createGate.Dispose();

    // The stored spec carries a drawn seed when the request had none; an identical request must still match.
    private static bool SameSpec(StudySpec stored, StudySpec requested)
    {
        if (requested.Method is null || !requested.Method.HasSeed)
        {
            var copy = stored.Clone();
            copy.Method.ClearSeed();
            if (requested.Method is null && copy.Method.KindCase == MethodSpec.KindOneofCase.Random && copy.Method.Equals(new MethodSpec { Random = new RandomSearchSettings() }))
            {
                copy.Method = null;
            }

            return copy.Equals(requested);
        }

        return stored.Equals(requested);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Restored study {StudyId} with {Unfinished} unfinished trials")]
    private partial void LogRestored(string studyId, int unfinished);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Study {StudyId} did not stop cleanly: {Count} reserved trial numbers are skipped, so none held by a worker is reused")]
    private partial void LogSkippedNumbers(string studyId, long count);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Created study {StudyId} over {Parameters} parameters")]
    private partial void LogCreated(string studyId, int parameters);
}
