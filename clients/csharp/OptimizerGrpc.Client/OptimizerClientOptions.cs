namespace OptimizerGrpc.Client;

/// <summary>Settings of an <see cref="OptimizerClient"/>.</summary>
public sealed record OptimizerClientOptions
{
    /// <summary>Longest wait between reconnects of a watch stream. Default 30 s.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>First wait before reconnecting. Default 200 ms.</summary>
    public TimeSpan InitialReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Clock for reconnect delays; tests pass a fake. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
