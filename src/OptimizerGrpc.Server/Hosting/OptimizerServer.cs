using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Server.Engine;
using OptimizerGrpc.Server.Engine.Store;
using OptimizerGrpc.Server.Api;
using OptimizerGrpc.Server.Api.Dashboard;
using OptimizerGrpc.Server.Api.Mapping;
using OptimizerGrpc.Server.Security;
using OptimizerGrpc.Server.Storage.Sqlite;
using Serilog;
using Serilog.Events;

namespace OptimizerGrpc.Server.Hosting;

/// <summary>Builds and starts the gRPC server: Kestrel on HTTP/2, Serilog, the store, the engine.</summary>
public static class OptimizerServer
{
    /// <summary>The log category of ASP.NET Core's health check service (its "Unhealthy" entries while stopping are expected).</summary>
    public const string HealthCheckLogCategory = "Microsoft.Extensions.Diagnostics.HealthChecks";

    /// <summary>Builds a server listening on <paramref name="address"/> ("host:port"; port 0 picks a free one).</summary>
    /// <param name="customize">Lets tests swap the clock or use an in-memory test server.</param>
    public static WebApplication Build(ServerOptions options, string? address, LogEventLevel logLevel = LogEventLevel.Information, Action<WebApplicationBuilder>? customize = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder();
        bool reflection = options.Reflection ?? (address is null || IPAddress.IsLoopback(ParseAddress(address).Address));
        builder.Host.UseSerilog((_, cfg) => cfg
            .MinimumLevel.Is(logLevel)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Grpc", LogEventLevel.Warning)
            // The one health check reports Unhealthy while the server stops (so probes drain it); that is expected, and
            // the health service would log it as an error on every shutdown.
            .MinimumLevel.Override(HealthCheckLogCategory, LogEventLevel.Fatal)
            .Enrich.FromLogContext()
            .WriteTo.Console(formatProvider: System.Globalization.CultureInfo.CurrentCulture, standardErrorFromLevel: LogEventLevel.Verbose, outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}"));
        // One message limit: Kestrel's body limit (30,000,000 bytes by default) would otherwise cut unary calls below
        // MaxMessageBytes with a bare UNKNOWN. A unary body is the message plus its 5-byte gRPC frame header; gRPC checks
        // that header first and answers RESOURCE_EXHAUSTED, on unary calls and on each message of a stream alike.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = (long)options.MaxMessageBytes + 5);
        if (address is not null)
        {
            var endpoint = ParseAddress(address);
            var dashboard = options.DashboardAddress is { } d ? ParseAddress(d) : null;
            ListenGuard.ThrowIfExposed(options.Security, [endpoint, .. dashboard is null ? Array.Empty<IPEndPoint>() : [dashboard]]);
            // The certificate serves for the process's lifetime (Kestrel holds it), so it is never disposed.
#pragma warning disable CA2000
            var certificate = options.Security.TlsEnabled
                ? TlsCertificates.LoadPem(options.Security.TlsCertificateFile!, options.Security.TlsKeyFile)
                : null;
#pragma warning restore CA2000
            builder.WebHost.ConfigureKestrel(k =>
            {
                k.Listen(endpoint, o =>
                {
                    o.Protocols = HttpProtocols.Http2;
                    if (certificate is not null)
                    {
                        o.UseHttps(certificate);
                    }
                });
                if (dashboard is not null)
                {
                    k.Listen(dashboard, o =>
                    {
                        // Over TLS browsers may use HTTP/2 (negotiated by ALPN); in clear text only HTTP/1.1.
                        o.Protocols = certificate is null ? HttpProtocols.Http1 : HttpProtocols.Http1AndHttp2;
                        if (certificate is not null)
                        {
                            o.UseHttps(certificate);
                        }
                    });
                }
            });
        }

        AddOptimizer(builder.Services, options);
        builder.Services.AddOptimizerSecurity(options.Security);
        customize?.Invoke(builder);
        var app = builder.Build();
        // Read the keys now, so a keys file that is missing or does not parse stops the start with its reason.
        _ = app.Services.GetRequiredService<ApiKeyStore>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGrpcService<OptimizerGrpcService>();
        if (reflection)
        {
            app.MapGrpcReflectionService().RequireAuthorization(Policies.Read);
        }

        // Load balancers and orchestrators probe health without credentials.
        app.MapGrpcHealthChecksService().AllowAnonymous();
        app.MapSession();
        app.MapDashboard();
        return app;
    }

    /// <summary>The dashboard's URL once the server started, or null when it serves no dashboard port.</summary>
    public static string? DashboardUrl(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value;
        // Kestrel lists its endpoints in the order they were configured: the gRPC one, then the dashboard's.
        return options.DashboardAddress is null ? null : app.Urls.Skip(1).FirstOrDefault();
    }

    /// <summary>Creates the schema if needed and loads every stored study. Call before serving.</summary>
    public static async Task InitializeAsync(IServiceProvider services, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var contexts = services.GetRequiredService<IDbContextFactory<OptimizerDbContext>>();
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            await db.Database.EnsureCreatedAsync(ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            await db.Database.ExecuteSqlRawAsync(Storage.Sqlite.Configurations.TrialReturnsEntityConfiguration.CreateIfMissing, ct);
            await db.Database.ExecuteSqlRawAsync(Storage.Sqlite.Configurations.TrialEquityEntityConfiguration.CreateIfMissing, ct);
            bool hasScore = await db.Database
                .SqlQueryRaw<int>("SELECT COUNT(*) AS \"Value\" FROM pragma_table_info('trials') WHERE name = 'score'")
                .SingleAsync(ct) > 0;
            if (!hasScore)
            {
                await db.Database.ExecuteSqlRawAsync(Storage.Sqlite.Configurations.TrialEntityConfiguration.AddScore, ct);
            }

            bool hasOwner = await db.Database
                .SqlQueryRaw<int>("SELECT COUNT(*) AS \"Value\" FROM pragma_table_info('studies') WHERE name = 'owner'")
                .SingleAsync(ct) > 0;
            if (!hasOwner)
            {
                await db.Database.ExecuteSqlRawAsync(Storage.Sqlite.Configurations.StudyEntityConfiguration.AddOwner, ct);
            }
        }

        await services.GetRequiredService<StudyRegistry>().LoadAsync(ct);
    }

    /// <summary>Parses "host:port", "[::1]:port" or a URL like "http://127.0.0.1:5000".</summary>
    public static IPEndPoint ParseAddress(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        string text = address.Contains("://", StringComparison.Ordinal) ? new Uri(address).Authority : address;
        if (text.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase))
        {
            text = "127.0.0.1" + text["localhost".Length..];
        }

        if (text.StartsWith('*') || text.StartsWith("0.0.0.0", StringComparison.Ordinal))
        {
            text = "0.0.0.0" + text[text.IndexOf(':', StringComparison.Ordinal)..];
        }

        return IPEndPoint.TryParse(text, out var endpoint) && text.Contains(':', StringComparison.Ordinal)
            ? endpoint
            : throw new ArgumentException($"'{address}' is not an address of the form host:port (for example 127.0.0.1:50051)", nameof(address));
    }

    private static void AddOptimizer(IServiceCollection services, ServerOptions options)
    {
        services.AddSingleton(Options.Create(options));
        services.TryAddSingleton(TimeProvider.System);
        services.AddGrpc(o =>
        {
            o.Interceptors.Add<ErrorMappingInterceptor>();
            o.MaxReceiveMessageSize = options.MaxMessageBytes;
            o.MaxSendMessageSize = options.MaxMessageBytes;
        });
        services.AddGrpcReflection();
        // The standard health service answers for the server as a whole ("") and for the optimizer service by name:
        // SERVING while the server runs, NOT_SERVING once it is stopping (so a load balancer drains it first).
        services.AddGrpcHealthChecks(o =>
        {
            o.Services.Clear();
            o.Services.Map("", _ => true);
            o.Services.Map(OptimizerService.Descriptor.FullName, _ => true);
        }).AddCheck<StoppingHealthCheck>("stopping");
        services.AddDbContextFactory<OptimizerDbContext>(o => o.UseSqlite(options.EffectiveConnectionString));
        services.AddSingleton(sp => new StoreWriter(
            options.EffectiveConnectionString,
            options.SynchronousFull,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<StoreWriter>(),
            options.RelaxLeaseCommits));
        services.AddSingleton<StoreReader>();
        services.AddSingleton<SqliteStudyStore>();
        services.AddSingleton<IStudyStore>(sp => sp.GetRequiredService<SqliteStudyStore>());
        services.AddSingleton<ISpecCompiler, StudySpecMapper>();
        services.AddSingleton<EventHub>();
        services.AddSingleton(new EngineLimits(options.MaxLeasesPerStudy, options.MaxLeasesPerWorker, options.MaxStudies));
        services.AddSingleton<StudyRegistry>();
        services.AddSingleton<WorkSessionFactory>();
        services.AddDashboard();
        services.AddSingleton<LeaseSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<LeaseSweeper>());
        services.AddHostedService<ShutdownCheckpoint>();
    }
}
