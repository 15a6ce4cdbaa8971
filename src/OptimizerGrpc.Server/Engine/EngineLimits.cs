namespace OptimizerGrpc.Server.Engine;

/// <summary>
/// The engine's resource limits (docs/limits.md) and the count of trials leased to each worker id over all studies.
/// A leased trial holds a few KB until its result or its lease's end, so the leases a study or a worker may hold are
/// capped; so is the number of studies. <see cref="Unlimited"/> is for engine tests that do not exercise them.
/// </summary>
internal sealed class EngineLimits(int maxLeasesPerStudy, int maxLeasesPerWorker, int maxStudies)
{
    private readonly Dictionary<string, int> _byWorker = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    public static EngineLimits Unlimited => new(int.MaxValue, int.MaxValue, int.MaxValue);

    public int MaxLeasesPerStudy { get; } = maxLeasesPerStudy;

    public int MaxLeasesPerWorker { get; } = maxLeasesPerWorker;

    public int MaxStudies { get; } = maxStudies;

    /// <summary>Reserves up to <paramref name="want"/> leases for a worker; returns how many it may take (give back the unused).</summary>
    public int Reserve(string workerId, int want)
    {
        lock (_gate)
        {
            _byWorker.TryGetValue(workerId, out int held);
            int granted = Math.Max(0, Math.Min(want, MaxLeasesPerWorker - held));
            if (granted > 0)
            {
                _byWorker[workerId] = held + granted;
            }

            return granted;
        }
    }

    /// <summary>Gives back leases of a worker: reserved and not used, or ended (result, expiry, requeue).</summary>
    public void Release(string workerId, int count = 1)
    {
        if (count <= 0)
        {
            return;
        }

        lock (_gate)
        {
            if (_byWorker.TryGetValue(workerId, out int held))
            {
                if (held <= count)
                {
                    _byWorker.Remove(workerId);
                }
                else
                {
                    _byWorker[workerId] = held - count;
                }
            }
        }
    }

    /// <summary>The trials a worker holds now (for tests and diagnostics).</summary>
    public int Held(string workerId)
    {
        lock (_gate)
        {
            return _byWorker.GetValueOrDefault(workerId);
        }
    }
}

/// <summary>A lease request refused because the study or the worker holds as many leases as allowed (RESOURCE_EXHAUSTED).</summary>
internal sealed class LeaseLimitException(string message) : Exception(message);

/// <summary>A study refused because the server holds as many studies as allowed (RESOURCE_EXHAUSTED).</summary>
internal sealed class StudyLimitException(string message) : Exception(message);
