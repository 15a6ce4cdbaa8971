using System.Security.Cryptography.X509Certificates;
using OptimizerGrpc.Server.Security;

namespace OptimizerGrpc.Cli.Tests;

/// <summary><c>optimizer keys create</c>, <c>optimizer tls create</c>, and <c>serve</c> refusing an exposed address without keys.</summary>
public sealed class SecurityCommandsTests : IDisposable
{
    private readonly CliRun _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task KeysCreate_PrintsTheSecretOnce_AndTheFileHoldsOnlyItsHash()
    {
        string file = Path.Combine(_cli.Folder, "keys.txt");
        var (code, stdout, stderr) = await _cli.RunAsync("keys", "create", "--id", "alice", "--role", "researcher", "--file", file);
        Assert.Equal(0, code);
        string secret = stdout.Split('\n')[0].Trim();
        Assert.StartsWith("opt_", secret, StringComparison.Ordinal);
        Assert.Contains("added key 'alice' (researcher)", stderr, StringComparison.Ordinal);
        (code, stdout, _) = await _cli.RunAsync("keys", "create", "--id", "ci", "--role", "worker", "--studies", "nightly-*", "--file", file);
        Assert.Equal(0, code);
        string text = await File.ReadAllTextAsync(file);
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        var keys = ApiKeyFile.Parse(text, file);
        Assert.Equal(["alice", "ci"], keys.Select(k => k.Id));
        Assert.Equal(ApiKey.Hash(secret).ToArray(), keys[0].SecretHash.ToArray());
        Assert.True(keys[1].Scope.Allows("nightly-3"));
        Assert.False(keys[1].Scope.Allows("other"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }

    [Theory]
    [InlineData("--id", "al/ice", "--role", "admin", "--id must be 1 to 64")]
    [InlineData("--id", "alice", "--role", "root", "--role must be one of admin, researcher, worker, viewer")]
    public async Task KeysCreate_Mistakes(string a, string b, string c, string d, string expected)
    {
        var (code, _, stderr) = await _cli.RunAsync("keys", "create", a, b, c, d);
        Assert.Equal(2, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TlsCreate_WritesACaAndAServerCertificateThatChainsToIt()
    {
        string dir = Path.Combine(_cli.Folder, "tls");
        var (code, _, _) = await _cli.RunAsync("tls", "create", "--host", "optimizer.lan,127.0.0.1", "--out", dir);
        Assert.Equal(0, code);
        using var ca = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(Path.Combine(dir, "ca.pem")));
        using var server = X509Certificate2.CreateFromPemFile(Path.Combine(dir, "server.pem"), Path.Combine(dir, "server-key.pem"));
        Assert.True(server.HasPrivateKey);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        Assert.True(chain.Build(server), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.True(server.MatchesHostname("optimizer.lan"));
        Assert.True(server.MatchesHostname("127.0.0.1"));
        Assert.False(server.MatchesHostname("elsewhere.lan"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, "server-key.pem")));
        }
    }

    [Fact]
    public async Task Serve_OnAllInterfacesWithoutKeys_RefusesToStartAndSaysWhy()
    {
        var (code, stdout, stderr) = await _cli.RunAsync(
            "serve", "--address", "0.0.0.0:0", "--dashboard", "none", "--storage", Path.Combine(_cli.Folder, "o.db"));
        Assert.Equal(2, code);
        Assert.DoesNotContain("listening on", stdout, StringComparison.Ordinal);
        Assert.Contains("refusing to listen on 0.0.0.0:0 without authentication", stderr, StringComparison.Ordinal);
        Assert.Contains("--api-keys", stderr, StringComparison.Ordinal);
        Assert.Contains("--insecure", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_DashboardOnAllInterfacesWithoutKeys_IsRefusedToo()
    {
        var (code, _, stderr) = await _cli.RunAsync(
            "serve", "--address", "127.0.0.1:0", "--dashboard", "0.0.0.0:0", "--storage", Path.Combine(_cli.Folder, "o.db"));
        Assert.Equal(2, code);
        Assert.Contains("refusing to listen on 0.0.0.0:0", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_KeysFileThatDoesNotParse_RefusesToStartWithTheLine()
    {
        string keys = Path.Combine(_cli.Folder, "keys.txt");
        await File.WriteAllTextAsync(keys, "alice researcher tooshort\n");
        var (code, _, stderr) = await _cli.RunAsync(
            "serve", "--address", "127.0.0.1:0", "--dashboard", "none", "--api-keys", keys, "--storage", Path.Combine(_cli.Folder, "o.db"));
        Assert.Equal(2, code);
        Assert.Contains($"{keys}, line 1", stderr, StringComparison.Ordinal);
    }
}
