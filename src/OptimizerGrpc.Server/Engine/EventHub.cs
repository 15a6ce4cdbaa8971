using System.Collections.Concurrent;
using System.Threading.Channels;
using OptimizerGrpc.Core.Studies;
using OptimizerGrpc.Server.Engine.Store;

namespace OptimizerGrpc.Server.Engine;

/// <summary>
/// Live fan-out of committed events to watchers. Each watcher has a bounded queue; a watcher too slow to keep
/// up is disconnected (its queue completes with <see cref="WatcherOverflowException"/>) and resumes from its last
/// sequence, which replays from the store: the server never buffers without bound for a slow client.
/// </summary>
internal sealed class EventHub : IEventPublisher
{
    public const int WatcherQueueCapacity = 10_000;

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Watcher, byte>> _watchers = new(StringComparer.Ordinal);

    public Watcher Subscribe(string studyId, bool includeTrials)
    {
        var watcher = new Watcher(studyId, includeTrials);
        _watchers.GetOrAdd(studyId, _ => new ConcurrentDictionary<Watcher, byte>()).TryAdd(watcher, 0);
        return watcher;
    }

    public void Unsubscribe(Watcher watcher)
    {
        if (_watchers.TryGetValue(watcher.StudyId, out var set))
        {
            set.TryRemove(watcher, out _);
        }
    }

    /// <summary>Called by the store after a commit, in commit order.</summary>
    public void Publish(IReadOnlyList<StudyEvent> events)
    {
        foreach (var e in events)
        {
            if (!_watchers.TryGetValue(e.StudyId, out var set) || set.IsEmpty)
            {
                continue;
            }

            foreach (var watcher in set.Keys)
            {
                if (e is TrialFinishedEvent && !watcher.IncludeTrials)
                {
                    continue;
                }

                if (!watcher.Queue.Writer.TryWrite(e))
                {
                    watcher.Queue.Writer.TryComplete(new WatcherOverflowException());
                    set.TryRemove(watcher, out _);
                }
            }
        }
    }

    /// <summary>Ends every watcher of a study (it was deleted) with <see cref="StudyDeletedException"/>, not a plain end.</summary>
    public void Close(string studyId)
    {
        if (_watchers.TryRemove(studyId, out var set))
        {
            foreach (var watcher in set.Keys)
            {
                watcher.Queue.Writer.TryComplete(new StudyDeletedException(studyId));
            }
        }
    }

    public sealed class Watcher(string studyId, bool includeTrials)
    {
        public string StudyId { get; } = studyId;

        public bool IncludeTrials { get; } = includeTrials;

        public Channel<StudyEvent> Queue { get; } = Channel.CreateBounded<StudyEvent>(
            new BoundedChannelOptions(WatcherQueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }
}

/// <summary>A watcher fell too far behind; the client resumes from its last sequence.</summary>
internal sealed class WatcherOverflowException() : Exception("the watcher fell more than 10000 events behind; resume from the last sequence received");
