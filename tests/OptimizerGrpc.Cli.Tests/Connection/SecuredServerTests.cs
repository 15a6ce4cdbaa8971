using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using OptimizerGrpc.Client;
using OptimizerGrpc.Server;
using OptimizerGrpc.Server.Hosting;
using OptimizerGrpc.Server.Security;
using Serilog.Events;

namespace OptimizerGrpc.Cli.Tests.Connection;

/// <summary>An operator verb against a server with API keys and TLS from a private CA, and exit codes 4 and 3.</summary>
public sealed class SecuredServerTests : IAsyncLifetime, IDisposable
{
    private const string AdminKey = "cli-admin-secret-00000001";
    private readonly CliRun _cli = new();
    private WebApplication? _app;

    private string Address => _app!.Urls.First();

    private string CaFile => Path.Combine(_cli.Folder, "ca.pem");

    public async Task InitializeAsync()
    {
        var (ca, cert, key) = TlsCertificates.CreateCaAndServer(["localhost", "127.0.0.1"]);
        await File.WriteAllTextAsync(CaFile, ca);
        await File.WriteAllTextAsync(Path.Combine(_cli.Folder, "server.pem"), cert);
        await File.WriteAllTextAsync(Path.Combine(_cli.Folder, "server-key.pem"), key);
        await File.WriteAllTextAsync(Path.Combine(_cli.Folder, "keys.txt"), $"root admin {ApiKey.HashText(AdminKey)}\n");
        _app = OptimizerServer.Build(
            new ServerOptions
            {
                StoragePath = Path.Combine(_cli.Folder, "optimizer.db"),
                DashboardAddress = null,
                Security = new SecurityOptions
                {
                    ApiKeysFile = Path.Combine(_cli.Folder, "keys.txt"),
                    TlsCertificateFile = Path.Combine(_cli.Folder, "server.pem"),
                    TlsKeyFile = Path.Combine(_cli.Folder, "server-key.pem"),
                },
            },
            "127.0.0.1:0",
            LogEventLevel.Warning);
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

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Studies_WithKeyAndCa_ListsOverTls_WithoutKey_IsUnauthenticatedExitFour()
    {
        Assert.StartsWith("https://", Address, StringComparison.Ordinal);

        var (code, stdout, stderr) = await _cli.RunAsync("studies", "--json", "--server", Address, "--api-key", AdminKey, "--tls-ca", CaFile);
        Assert.True(code == 0, stderr);
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(stdout).RootElement.ValueKind);

        (code, stdout, stderr) = await _cli.RunAsync("studies", "--server", Address, "--tls-ca", CaFile);
        Assert.Equal(4, code);
        Assert.Empty(stdout);
        Assert.StartsWith("optimizer: UNAUTHENTICATED: ", stderr, StringComparison.Ordinal);
        Assert.Contains("--api-key or $OPTIMIZER_API_KEY", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_NamesTheStudysOwner()
    {
        await using (var client = new OptimizerClient(Address, new OptimizerClientOptions { ApiKey = AdminKey, CertificateAuthorityFile = CaFile }))
        {
            await client.CreateStudyAsync(new StudyBuilder("owned").Target("ma", t => t.Int("fast", 1, 3)).Maximize("score").GridSearch(), studyId: "owned");
        }

        var (code, stdout, stderr) = await _cli.RunAsync("show", "owned", "--json", "--server", Address, "--api-key", AdminKey, "--tls-ca", CaFile);
        Assert.True(code == 0, stderr);
        Assert.Equal("root", JsonDocument.Parse(stdout).RootElement.GetProperty("study").GetProperty("owner").GetString());
        (code, stdout, _) = await _cli.RunAsync("show", "owned", "--server", Address, "--api-key", AdminKey, "--tls-ca", CaFile);
        Assert.Equal(0, code);
        Assert.Contains("owner", stdout, StringComparison.Ordinal);
        Assert.Contains("root", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Studies_NoServerThere_ExitsThree()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (code, _, stderr) = await _cli.RunAsync("studies", "--server", $"127.0.0.1:{port}");

        Assert.Equal(3, code);
        Assert.StartsWith("optimizer: UNAVAILABLE: ", stderr, StringComparison.Ordinal);
        Assert.Contains($"no server answered at http://127.0.0.1:{port}", stderr, StringComparison.Ordinal);
    }
}
