using Microsoft.AspNetCore.Builder;
using OptimizerGrpc.Server;
using OptimizerGrpc.Server.Hosting;
using Serilog.Events;

namespace OptimizerGrpc.Cli.Tests;

/// <summary>The real server on a free loopback port over a SQLite file in a temp folder, as `optimizer serve` runs it.</summary>
public sealed class InProcessServer : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"optimizer-cli-server-{Guid.NewGuid():N}");
    private WebApplication? _app;

    public string Address => _app!.Urls.First();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _app = OptimizerServer.Build(new ServerOptions { StoragePath = Path.Combine(_folder, "optimizer.db") }, "127.0.0.1:0", LogEventLevel.Warning);
        await OptimizerServer.InitializeAsync(_app.Services);
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; the temp folder is cleaned by the OS.
        }
    }
}
