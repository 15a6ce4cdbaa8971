using System.Collections.Concurrent;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using OptimizerGrpc.Client;
using OptimizerGrpc.Server;
using OptimizerGrpc.Server.Hosting;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace OptimizerGrpc.Testing;

/// <summary>
/// The real server in-process on Kestrel: gRPC (HTTP/2) and the dashboard (HTTP/1.1) each on a free loopback port,
/// over a real SQLite file in a temp folder. Records every error the server logs, so a test can fail on one nobody
/// expected (as grpc-dotnet's VerifyNoErrorsScope). Shared by the dashboard tests and the <c>dashboard</c> benchmark.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private readonly string _folder;
    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;
    private readonly ErrorSink _errors;

    private DashboardServer(string folder, WebApplication app, GrpcChannel channel, Uri dashboard, ErrorSink errors, string? clientKey)
    {
        _folder = folder;
        _errors = errors;
        _app = app;
        _channel = channel;
        Dashboard = dashboard;
        Client = new OptimizerClient(channel, new OptimizerClientOptions { ApiKey = clientKey });
        Http = new HttpClient { BaseAddress = dashboard, Timeout = TimeSpan.FromMinutes(2) };
    }

    /// <summary>The dashboard's root, for example http://127.0.0.1:41234/.</summary>
    public Uri Dashboard { get; }

    /// <summary>The C# client over the gRPC port.</summary>
    public OptimizerClient Client { get; }

    /// <summary>An HTTP client whose base address is the dashboard.</summary>
    public HttpClient Http { get; }

    /// <summary>The SQLite file.</summary>
    public string StoragePath => Path.Combine(_folder, "optimizer.db");

    /// <summary>What the server logged at Error or above, rendered.</summary>
    public IReadOnlyCollection<string> Errors => _errors.Errors;

    /// <summary>
    /// Starts a server. <paramref name="durable"/> false commits with PRAGMA synchronous=NORMAL (benchmarks).
    /// <paramref name="apiKeys"/> (keys-file lines) makes it ask for credentials; <see cref="Client"/> then uses <paramref name="clientKey"/>.
    /// </summary>
    public static async Task<DashboardServer> StartAsync(bool durable = true, string? apiKeys = null, string? clientKey = null)
    {
        string folder = Directory.CreateTempSubdirectory("optimizer-dashboard-").FullName;
        var options = new ServerOptions
        {
            StoragePath = Path.Combine(folder, "optimizer.db"),
            SynchronousFull = durable,
            DashboardAddress = "127.0.0.1:0",
            Security = new OptimizerGrpc.Server.Security.SecurityOptions { ApiKeys = apiKeys },
        };
        var sink = new ErrorSink();
        var app = OptimizerServer.Build(options, "127.0.0.1:0", LogEventLevel.Warning, b =>
            b.Host.UseSerilog((_, cfg) => cfg.MinimumLevel.Warning()
                .MinimumLevel.Override(OptimizerServer.HealthCheckLogCategory, LogEventLevel.Fatal).WriteTo.Sink(sink)));
        await OptimizerServer.InitializeAsync(app.Services).ConfigureAwait(false);
        await app.StartAsync().ConfigureAwait(false);
        string grpc = app.Urls.First();
        string dashboard = OptimizerServer.DashboardUrl(app) ?? throw new InvalidOperationException("the server serves no dashboard");
        var channel = GrpcChannel.ForAddress(grpc, new GrpcChannelOptions { MaxReceiveMessageSize = null, MaxSendMessageSize = null });
        return new DashboardServer(folder, app, channel, new Uri(dashboard.TrimEnd('/') + "/"), sink, clientKey);
    }

    /// <summary>The page of one study, as the dashboard links it.</summary>
    public Uri StudyPage(string studyId) => new(Dashboard, "#/study/" + Uri.EscapeDataString(studyId));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        _channel.Dispose();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A pooled handle may linger briefly; the temp folder is only litter then.
        }
    }

    private sealed class ErrorSink : ILogEventSink
    {
        public ConcurrentQueue<string> Errors { get; } = new();

        public void Emit(LogEvent logEvent)
        {
            if (logEvent.Level >= LogEventLevel.Error)
            {
                Errors.Enqueue(logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture) + " " + logEvent.Exception);
            }
        }
    }
}
