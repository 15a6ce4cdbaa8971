using System.Collections.Concurrent;

namespace OptimizerGrpc.Server.Api.Dashboard;

/// <summary>
/// Trials per second of each study over the last minute, from samples of its finished count taken when the dashboard
/// asks (at most one a second, at most 61 kept per study): the page shows a rate without the engine timing anything.
/// </summary>
internal sealed class ThroughputTracker(TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Queue<(DateTimeOffset Time, long Finished)>> _samples = new(StringComparer.Ordinal);

    public double Rate(string studyId, long finished)
    {
        var now = time.GetUtcNow();
        var samples = _samples.GetOrAdd(studyId, _ => new Queue<(DateTimeOffset, long)>());
        lock (samples)
        {
            if (samples.Count == 0 || now - samples.Last().Time >= TimeSpan.FromSeconds(1))
            {
                samples.Enqueue((now, finished));
            }

            while (samples.Count > 2 && now - samples.Peek().Time > Window)
            {
                samples.Dequeue();
            }

            var (firstTime, firstFinished) = samples.Peek();
            double seconds = (now - firstTime).TotalSeconds;
            return seconds >= 1 ? Math.Max(0, finished - firstFinished) / seconds : 0;
        }
    }

    public void Forget(string studyId) => _samples.TryRemove(studyId, out _);
}
