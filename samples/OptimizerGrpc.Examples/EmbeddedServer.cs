using Microsoft.AspNetCore.Builder;
using OptimizerGrpc.Server;
using OptimizerGrpc.Server.Hosting;
using Serilog.Events;

namespace OptimizerGrpc.Examples;

/// <summary>The real server in this process, on a free loopback port, over a SQLite file in a temporary folder that is deleted afterwards.</summary>
internal sealed class EmbeddedServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _folder;

    private EmbeddedServer(WebApplication app, string folder)
    {
        _app = app;
        _folder = folder;
    }

    /// <summary>The server's address, e.g. http://127.0.0.1:41234.</summary>
    public string Address => _app.Urls.First();

    /// <summary>Starts a server and waits until it listens.</summary>
    public static async Task<EmbeddedServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"optimizer-examples-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var app = OptimizerServer.Build(new ServerOptions { StoragePath = Path.Combine(folder, "optimizer.db") }, "127.0.0.1:0", LogEventLevel.Warning);
        await OptimizerServer.InitializeAsync(app.Services, cancellationToken);
        await app.StartAsync(cancellationToken);
        return new EmbeddedServer(app, folder);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may hold the file a moment longer; the OS cleans the temporary folder.
        }
    }
}

/// <summary>Finds samples/data above the working directory or the program's folder.</summary>
internal static class SampleData
{
    /// <summary>The NYSE composite daily closes, 1966-2002.</summary>
    public static string Nyse() => Find("nyse_composite_daily_1966_2002.csv");

    /// <summary>samples/data/<paramref name="fileName"/> from the nearest folder above that has it.</summary>
    public static string Find(string fileName)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "samples", "data", fileName);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new FileNotFoundException($"samples/data/{fileName} not found above {Directory.GetCurrentDirectory()}; pass --data FILE");
    }
}
