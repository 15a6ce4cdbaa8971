using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Metrics;
using OptimizerGrpc.Core.Scoring;
using OptimizerGrpc.Core.Sequences;
using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;
using OptimizerGrpc.Server.Api.Mapping;
using OptimizerGrpc.Server.Engine;
using OptimizerGrpc.Server.Engine.Store;
using OptimizerGrpc.Server.Storage.Sqlite;

namespace OptimizerGrpc.Server.Tests.Engine;

/// <summary>
/// The engine without gRPC: the real SQLite store over a file in a temp folder (schema from EF Core, as the server
/// creates it), an event hub, a fake clock and a registry. Studies are created from plans built in domain terms.
/// </summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    /// <summary>The fake clock's start; timestamps in assertions are offsets from it.</summary>
    public static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The lease of every plan unless a test says otherwise.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    /// <summary>The one objective of every plan (maximised).</summary>
    public const string Objective = "score";

    private static readonly IReadOnlyDictionary<string, double> NoValues = new Dictionary<string, double>();

    private readonly string _folder;
    private readonly StoreWriter _writer;
    private long _nextKey;

    private EngineHarness(string folder, StoreWriter writer, IDbContextFactory<OptimizerDbContext> contexts)
    {
        _folder = folder;
        _writer = writer;
        Store = new SqliteStudyStore(writer, new StoreReader(contexts));
        Registry = new StudyRegistry(Store, new StudySpecMapper(), Events, Clock, NullLogger<StudyRegistry>.Instance);
    }

    public FakeTimeProvider Clock { get; } = new(Epoch);

    public EventHub Events { get; } = new();

    public SqliteStudyStore Store { get; }

    public StudyRegistry Registry { get; }

    /// <param name="synchronousFull">FULL synchronous commits, which the writer needs to count relaxed (lease-only) ones.</param>
    public static async Task<EngineHarness> CreateAsync(bool synchronousFull = false)
    {
        string folder = Path.Combine(Path.GetTempPath(), "optimizer-engine-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        string connectionString = $"Data Source={Path.Combine(folder, "optimizer.db")};Pooling=True";
        IDbContextFactory<OptimizerDbContext> contexts = new ContextFactory(new DbContextOptionsBuilder<OptimizerDbContext>().UseSqlite(connectionString).Options);
        await using (var db = await contexts.CreateDbContextAsync())
        {
            await db.Database.EnsureCreatedAsync();
        }

        var writer = new StoreWriter(connectionString, synchronousFull, NullLogger.Instance, relaxLeases: true);
        return new EngineHarness(folder, writer, contexts);
    }

    /// <summary>Creates a study as the registry does, and waits until it is stored.</summary>
    public async Task<StudyRuntime> CreateStudyAsync(StudyPlan plan, string studyId = "s1", bool startPaused = false)
    {
        var row = new StoredStudy(++_nextKey, studyId, studyId, StudyState.Created, Clock.GetUtcNow().ToUnixTimeMilliseconds(), 0, [], [], 0);
        var (runtime, committed) = StudyRuntime.Create(row, plan, startPaused, Store, Events, Clock);
        await committed;
        return runtime;
    }

    /// <summary>Rebuilds a study from what the store holds, as the registry does at start, and waits for its commit.</summary>
    public async Task<StudyRuntime> RestoreAsync(string studyId, StudyPlan plan)
    {
        var row = (await Store.LoadStudiesAsync(default)).Single(s => s.StudyId == studyId);
        var unfinished = await Store.LoadUnfinishedTrialsAsync(row.Key, plan.Space, default);
        var finished = StudyBook.ReusesResults(plan)
            ? await Store.ListTrialsAsync(row.Key, plan.Space, new TrialQuery(-1, 100_000, null, [TrialState.Completed, TrialState.Infeasible], 0), default)
            : [];
        var (runtime, committed) = StudyRuntime.Restore(row, plan, unfinished, finished, Store, Events, Clock);
        await committed;
        return runtime;
    }

    public async Task<TrialRecord> ReadTrialAsync(StudyRuntime runtime, long number) =>
        await runtime.ReadTrialAsync(number) ?? throw new InvalidOperationException($"trial {number} is not stored");

    public async ValueTask DisposeAsync()
    {
        Registry.Dispose();
        await _writer.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A pooled handle may linger briefly; the temp folder is only litter then.
        }
    }

    /// <summary>
    /// A plan as the spec mapper compiles one: the sequence planned by Core, defaults in the middle of each domain, one
    /// maximised objective read from the client's values, no constraints. Parameter names are <c>target.name</c>.
    /// </summary>
    public static StudyPlan Plan(
        MethodSettings method, long maxTrials, SearchParameter[] parameters, SequenceDefinition? sequence = null,
        ulong seed = 42, int maxAttempts = StudyPlan.DefaultMaxAttempts, long barCount = 0)
    {
        var space = new SearchSpace(parameters);
        string[] targets = [.. parameters.Select(p => p.Name[..p.Name.IndexOf('.', StringComparison.Ordinal)]).Distinct()];
        ObjectiveDefinition[] objectives = [new(Objective, Maximize: true)];
        var data = barCount > 0 ? new DataDescription(barCount, [], []) : DataDescription.None;
        var context = new PlanningContext(space, targets, method, seed, objectives, null, maxTrials, data);
        return new StudyPlan(space, method, seed, objectives, null, maxTrials, maxAttempts, Lease)
        {
            Stages = SequencePlanner.Plan(sequence ?? new SingleSequence(), context),
            Defaults = [.. space.Parameters.Select(p => p.Domain.FromUnit(0.5))],
            Scorer = new TrialScorer(new MetricSettings(0, null), [], [], []),
        };
    }

    public static SearchParameter Int(string name, long low, long high) => new(name, new IntDomain(low, high, 1));

    public static SearchParameter Float(string name, double low, double high) => new(name, new FloatDomain(low, high, null, false));

    public static TrialOutcome Scored(double score) => new(new Dictionary<string, double> { [Objective] = score }, null, 0, null, false);

    public static TrialOutcome Errored(string message) => new(NoValues, null, 0, new TrialError("", message), false);

    /// <summary>A result for a trial's current attempt, from the worker that holds it.</summary>
    public static ReportedOutcome Result(TrialRecord trial, double score) => new(trial.Number, trial.Attempt, Scored(score), trial.WorkerId);

    private sealed class ContextFactory(DbContextOptions<OptimizerDbContext> options) : IDbContextFactory<OptimizerDbContext>
    {
        public OptimizerDbContext CreateDbContext() => new(options);
    }
}

/// <summary>The runtime's calls, each awaited until its write committed (as the gRPC layer does before answering).</summary>
internal static class RuntimeCalls
{
    public static async Task<List<TrialRecord>> LeaseAsync(this StudyRuntime runtime, string workerId, int max, TimeSpan? lease = null)
    {
        var (trials, committed) = runtime.Lease(workerId, max, lease);
        await committed;
        return trials;
    }

    public static async Task<TellResult[]> TellAsync(this StudyRuntime runtime, params ReportedOutcome[] outcomes)
    {
        var (results, committed) = runtime.Tell(outcomes);
        await committed;
        return results;
    }

    /// <summary>Reports a score for a trial's current attempt; the one answer.</summary>
    public static async Task<TellResult> TellScoreAsync(this StudyRuntime runtime, TrialRecord trial, double score) =>
        (await runtime.TellAsync(EngineHarness.Result(trial, score)))[0];

    /// <summary>The study's counts as (pending, running, completed, infeasible, failed, pruned), for exact assertions.</summary>
    public static (long, long, long, long, long, long) CountsOf(this StudyRuntime runtime)
    {
        var c = runtime.View().Counts;
        return (c.Pending, c.Running, c.Completed, c.Infeasible, c.Failed, c.Pruned);
    }
}
