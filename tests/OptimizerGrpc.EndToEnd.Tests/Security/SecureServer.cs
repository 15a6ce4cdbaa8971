using Microsoft.AspNetCore.Builder;
using OptimizerGrpc.Client;
using OptimizerGrpc.Server;
using OptimizerGrpc.Server.Hosting;
using OptimizerGrpc.Server.Security;
using Serilog.Events;

namespace OptimizerGrpc.EndToEnd.Tests.Security;

/// <summary>
/// The real server in-process on real Kestrel sockets, with TLS from a CA made at run time, API keys of every role in
/// a keys file, optionally bearer tokens, and a real SQLite file; its clients are the real C# client.
/// </summary>
public sealed class SecureServer : IAsyncDisposable
{
    public const string Admin = "admin-secret-0000000001";
    public const string Alice = "alice-secret-000000001";
    public const string Bob = "bob-secret-00000000001";
    public const string WorkerA = "worker-a-secret-000001";
    public const string WorkerB = "worker-b-secret-000001";
    public const string Nightly = "nightly-secret-0000001";
    public const string Viewer = "viewer-secret-00000001";

    /// <summary>The HS256 secret of bearer tokens (48 bytes).</summary>
    public const string JwtSecret = "a-shared-jwt-signing-secret-of-48-bytes-00000000";

    private readonly WebApplication _app;

    private SecureServer(WebApplication app, string folder, string address)
    {
        _app = app;
        Folder = folder;
        Address = address;
    }

    public string Folder { get; }

    /// <summary>https://127.0.0.1:PORT (or http:// without TLS).</summary>
    public string Address { get; }

    public string CaFile => Path.Combine(Folder, "ca.pem");

    public string KeysFile => Path.Combine(Folder, "keys.txt");

    public Uri DashboardUrl => new(OptimizerServer.DashboardUrl(_app)!);

    public static async Task<SecureServer> StartAsync(bool tls = true, bool jwt = false)
    {
        string folder = Directory.CreateTempSubdirectory("optimizer-secure-").FullName;
        var (ca, cert, key) = TlsCertificates.CreateCaAndServer(["localhost", "127.0.0.1"]);
        await File.WriteAllTextAsync(Path.Combine(folder, "ca.pem"), ca);
        await File.WriteAllTextAsync(Path.Combine(folder, "server.pem"), cert);
        await File.WriteAllTextAsync(Path.Combine(folder, "server-key.pem"), key);
        await File.WriteAllTextAsync(Path.Combine(folder, "keys.txt"), $"""
            root      admin      {ApiKey.HashText(Admin)}
            alice     researcher {ApiKey.HashText(Alice)}
            bob       researcher {Bob}
            worker-a  worker     {WorkerA}
            worker-b  worker     {WorkerB}
            nightly   worker     {Nightly} studies=nightly-*
            watcher   viewer     {Viewer}
            """);
        await File.WriteAllTextAsync(Path.Combine(folder, "jwt.key"), JwtSecret);
        var options = new ServerOptions
        {
            StoragePath = Path.Combine(folder, "optimizer.db"),
            DashboardAddress = "127.0.0.1:0",
            Security = new SecurityOptions
            {
                ApiKeysFile = Path.Combine(folder, "keys.txt"),
                TlsCertificateFile = tls ? Path.Combine(folder, "server.pem") : null,
                TlsKeyFile = tls ? Path.Combine(folder, "server-key.pem") : null,
                Jwt = jwt ? new JwtOptions { Issuer = "https://id.example", Audience = "optimizer", KeyFile = Path.Combine(folder, "jwt.key") } : null,
            },
        };
        var app = OptimizerServer.Build(options, "127.0.0.1:0", LogEventLevel.Warning);
        await OptimizerServer.InitializeAsync(app.Services);
        await app.StartAsync();
        return new SecureServer(app, folder, app.Urls.First());
    }

    /// <summary>A client with <paramref name="apiKey"/> (none when null) that trusts the run's CA.</summary>
    public OptimizerClient Client(string? apiKey, string? token = null, bool trustCa = true) =>
        new(Address, new OptimizerClientOptions
        {
            ApiKey = apiKey,
            BearerToken = token,
            CertificateAuthorityFile = trustCa && Address.StartsWith("https", StringComparison.Ordinal) ? CaFile : null,
        });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
