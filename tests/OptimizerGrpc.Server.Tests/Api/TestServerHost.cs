using System.Collections.Concurrent;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Server.Engine;
using OptimizerGrpc.Server.Hosting;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace OptimizerGrpc.Server.Tests.Api;

/// <summary>
/// The real server in-process on a TestServer, over a real SQLite file in a temp folder, on a fake clock.
/// Disposing fails the test when the server logged an error nobody expected (as grpc-dotnet's VerifyNoErrorsScope).
/// </summary>
internal sealed class TestServerHost : IAsyncDisposable
{
    private readonly string _folder;
    private readonly ServerOptions _options;
    private readonly ErrorSink _errors = new();
    private WebApplication? _app;
    private GrpcChannel? _channel;

    private TestServerHost(ServerOptions options, string folder)
    {
        _options = options;
        _folder = folder;
    }

    /// <summary>The fake clock; it survives restarts. Starts at a fixed instant so timestamps are stable.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public OptimizerService.OptimizerServiceClient Client { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    /// <summary>The channel to the current server; a new one after each restart.</summary>
    public GrpcChannel Channel => _channel ?? throw new InvalidOperationException("the server is not running");

    /// <summary>The channel, or null while the server is restarting.</summary>
    public GrpcChannel? ChannelOrNull => _channel;

    public string StoragePath => _options.StoragePath;

    /// <summary>Starts a server; <paramref name="configure"/> may change options (for example MaxMessageBytes).</summary>
    public static async Task<TestServerHost> StartAsync(Action<ServerOptions>? configure = null)
    {
        string folder = Path.Combine(Path.GetTempPath(), "optimizer-itest-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var options = new ServerOptions
        {
            StoragePath = Path.Combine(folder, "optimizer.db"),
            // The background sweeper must never race the tests: they sweep explicitly after advancing the clock.
            LeaseSweepInterval = TimeSpan.FromDays(30),
        };
        configure?.Invoke(options);
        var host = new TestServerHost(options, folder);
        await host.StartAppAsync();
        return host;
    }

    /// <summary>Runs one SQL statement on the SQLite file with a connection of its own (to simulate older stores).</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={StoragePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>An HTTP/1.1 client of the current server (the dashboard's endpoints); dispose it.</summary>
    public HttpClient Http() => new(_app!.GetTestServer().CreateHandler()) { BaseAddress = new Uri("http://localhost") };

    /// <summary>The number of rows of a table of the SQLite file (optionally filtered), read with a connection of its own.</summary>
    public async Task<long> CountRowsAsync(string table, string where = "")
    {
        await using var connection = new SqliteConnection($"Data Source={StoragePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM \"{table}\" {where}";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Expires leases deterministically: call after <see cref="FakeTimeProvider.Advance"/>.</summary>
    public Task SweepAsync() => Services.GetRequiredService<LeaseSweeper>().SweepOnceAsync();

    /// <summary>Stops the server and starts a new one on the same SQLite file and clock.</summary>
    public async Task RestartAsync()
    {
        await StopAppAsync();
        await StartAppAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAppAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A pooled handle may linger briefly; the temp folder is only litter then.
        }

        Assert.True(_errors.Errors.IsEmpty, "the server logged errors:\n" + string.Join("\n", _errors.Errors));
    }

    private async Task StartAppAsync()
    {
        var app = OptimizerServer.Build(_options, address: null, LogEventLevel.Warning, b =>
        {
            b.WebHost.UseTestServer();
            // Build() registers TimeProvider.System with TryAdd before this runs; replace it explicitly.
            b.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
            b.Host.UseSerilog((_, cfg) => cfg.MinimumLevel.Warning()
                .MinimumLevel.Override(OptimizerServer.HealthCheckLogCategory, LogEventLevel.Fatal).WriteTo.Sink(_errors));
        });
        await OptimizerServer.InitializeAsync(app.Services);
        await app.StartAsync();
        _app = app;
        _channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
        {
            HttpHandler = app.GetTestServer().CreateHandler(),
            MaxReceiveMessageSize = null,
            MaxSendMessageSize = null,
        });
        Client = new OptimizerService.OptimizerServiceClient(_channel);
    }

    private async Task StopAppAsync()
    {
        _channel?.Dispose();
        _channel = null;
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    private sealed class ErrorSink : ILogEventSink
    {
        public ConcurrentQueue<string> Errors { get; } = new();

        public void Emit(LogEvent logEvent)
        {
            if (logEvent.Level >= LogEventLevel.Error)
            {
                Errors.Enqueue(logEvent.RenderMessage() + " " + logEvent.Exception);
            }
        }
    }
}
