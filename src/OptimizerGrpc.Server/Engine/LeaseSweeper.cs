using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace OptimizerGrpc.Server.Engine;

/// <summary>Periodically returns trials with expired leases to PENDING. Runs on the injected clock.</summary>
internal sealed class LeaseSweeper(StudyRegistry registry, TimeProvider time, IOptions<ServerOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.LeaseSweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await SweepOnceAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>One sweep over every study; tests call it directly after advancing a fake clock.</summary>
    public Task SweepOnceAsync() => Task.WhenAll(registry.Loaded.Select(s => s.ExpireLeases()));
}
