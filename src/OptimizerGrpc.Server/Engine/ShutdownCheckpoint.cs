using Microsoft.Extensions.Hosting;

namespace OptimizerGrpc.Server.Engine;

/// <summary>
/// On a graceful stop, every study gives back its unused reserved trial numbers, so the next start continues the
/// numbering exactly; after a crash or power loss the reservation stays and numbering resumes past it.
/// </summary>
internal sealed class ShutdownCheckpoint(StudyRegistry registry) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.WhenAll(registry.Loaded.Select(s => s.ReleaseReservedNumbers()));
}
