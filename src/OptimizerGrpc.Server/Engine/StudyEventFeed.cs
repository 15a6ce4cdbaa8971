using System.Runtime.CompilerServices;
using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Server.Engine;

/// <summary>
/// A study's events after a sequence number, stored then live: subscribe to live events first, replay stored events
/// up to the live point, then forward live events, skipping any already replayed. No event is missed or repeated; the
/// feed ends after the event that ends the study, or with <see cref="StudyDeletedException"/> when the study is deleted. Behind WatchStudy and the dashboard's event stream.
/// </summary>
internal static class StudyEventFeed
{
    private const int ReplayPageSize = 1000;

    public static async IAsyncEnumerable<StudyEvent> ReadAsync(
        StudyRegistry registry, StudyRuntime runtime, long afterSequence, bool includeTrials, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(runtime);
        var watcher = registry.Events.Subscribe(runtime.StudyId, includeTrials);
        try
        {
            // A delete that closed the study's watchers before this one subscribed would otherwise leave it waiting.
            if (!registry.TryGetLoaded(runtime.StudyId, out var current) || !ReferenceEquals(current, runtime))
            {
                throw new StudyDeletedException(runtime.StudyId);
            }

            long sent = afterSequence;
            long upTo = runtime.LastSequence;
            while (sent < upTo)
            {
                var page = await registry.Store.ReadEventsAsync(runtime.Key, runtime.StudyId, runtime.Plan, sent, upTo, ReplayPageSize, includeTrials, ct).ConfigureAwait(false);
                if (page.Count == 0)
                {
                    break;
                }

                foreach (var e in page)
                {
                    yield return e;
                    sent = e.Sequence;
                    if (e.EndsStudy)
                    {
                        yield break;
                    }
                }

                if (page.Count < ReplayPageSize)
                {
                    break;
                }
            }

            // Commits happen in sequence order, so anything not replayed up to here arrives live, after 'sent'.
            await foreach (var e in watcher.Queue.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                if (e.Sequence <= sent)
                {
                    continue;
                }

                yield return e;
                sent = e.Sequence;
                if (e.EndsStudy)
                {
                    yield break;
                }
            }
        }
        finally
        {
            registry.Events.Unsubscribe(watcher);
        }
    }
}
