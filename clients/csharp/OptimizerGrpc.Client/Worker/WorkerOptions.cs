using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OptimizerGrpc.Client;

/// <summary>Settings of an <see cref="OptimizerWorker"/>.</summary>
public sealed record WorkerOptions
{
    /// <summary>Stable id of this worker. Default machine name, process id and a random suffix.</summary>
    public string WorkerId { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Trials evaluated at once. Default <see cref="Environment.ProcessorCount"/>.</summary>
    public int Capacity { get; init; } = Environment.ProcessorCount;

    /// <summary>First wait before reconnecting a dropped stream. Default 200 ms.</summary>
    public TimeSpan InitialReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest wait between reconnects. Default 30 s.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Heartbeat interval used until the server's welcome says otherwise. Default 10 s.</summary>
    public TimeSpan DefaultHeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Labels sent in the hello.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Logger. Default none.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>Clock for heartbeats and reconnect delays; tests pass a fake. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(WorkerId, nameof(WorkerId));
        if (Capacity is < 1 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(Capacity), Capacity, "Capacity must be in [1, 10000].");
        }

        if (InitialReconnectDelay <= TimeSpan.Zero || MaxReconnectDelay < InitialReconnectDelay || DefaultHeartbeatInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxReconnectDelay), "Delays must be > 0 and MaxReconnectDelay >= InitialReconnectDelay.");
        }
    }
}
