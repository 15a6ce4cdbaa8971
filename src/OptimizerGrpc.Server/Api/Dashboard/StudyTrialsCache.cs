using OptimizerGrpc.Core.Studies;
using OptimizerGrpc.Server.Engine;
using OptimizerGrpc.Server.Engine.Store;

namespace OptimizerGrpc.Server.Api.Dashboard;

/// <summary>
/// The trials of the studies the dashboard looks at, decoded once and kept up to date incrementally: each refresh reads
/// only the trials changed since the sequence of the last one (the store's <see cref="TrialQuery.AfterSequence"/>), so
/// a live page of a 100,000-trial study does not decode every trial per request. At most <see cref="MaxStudies"/>
/// studies are kept (least recently used goes first); a 100,000-trial study takes about 100 MB.
/// </summary>
internal sealed class StudyTrialsCache(StudyRegistry registry) : IDisposable
{
    public const int MaxStudies = 2;

    private const int PageSize = 10_000;

    private readonly LinkedList<Entry> _entries = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Every trial of the study as of now, by number.</summary>
    public async Task<IReadOnlyCollection<TrialRecord>> TrialsAsync(StudyRuntime runtime, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var node = _entries.First;
            while (node is not null && (node.Value.Runtime != runtime))
            {
                node = node.Next;
            }

            if (node is null)
            {
                node = _entries.AddFirst(new Entry(runtime));
                if (_entries.Count > MaxStudies)
                {
                    _entries.RemoveLast();
                }
            }
            else if (node != _entries.First)
            {
                _entries.Remove(node);
                _entries.AddFirst(node);
            }

            var entry = node.Value;
            long upTo = runtime.CommittedSequence;
            if (upTo > entry.Sequence)
            {
                await RefreshAsync(entry, ct).ConfigureAwait(false);
                entry.Sequence = upTo;
            }

            return entry.Trials.Values;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task RefreshAsync(Entry entry, CancellationToken ct)
    {
        long after = -1;
        while (true)
        {
            var query = new TrialQuery(after, PageSize, null, [], entry.Sequence);
            var page = await registry.Store.ListTrialsAsync(entry.Runtime.Key, entry.Runtime.Plan.Space, query, ct).ConfigureAwait(false);
            foreach (var trial in page)
            {
                entry.Trials[trial.Number] = trial;
            }

            if (page.Count < PageSize)
            {
                return;
            }

            after = page[^1].Number;
        }
    }

    private sealed class Entry(StudyRuntime runtime)
    {
        public StudyRuntime Runtime { get; } = runtime;

        public SortedDictionary<long, TrialRecord> Trials { get; } = [];

        public long Sequence { get; set; }
    }
}
