using Grpc.Health.V1;
using OptimizerGrpc.Testing;

namespace OptimizerGrpc.EndToEnd.Tests.Security;

/// <summary>The real <c>optimizer serve</c> process on all interfaces: refused without keys, started with --insecure or keys.</summary>
public sealed class ExposedListenTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("optimizer-exposed-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task AllInterfacesWithoutKeys_ExitsWithTheReason()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ServerProcess.StartAsync(Path.Combine(_dir, "a.db"), TimeSpan.FromSeconds(30), extraArgs: ["--address", "0.0.0.0:0"]));
        Assert.Contains("refusing to listen on 0.0.0.0:0 without authentication", e.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task AllInterfacesWithInsecure_Starts()
    {
        using var server = await ServerProcess.StartAsync(Path.Combine(_dir, "b.db"), TimeSpan.FromSeconds(30), extraArgs: ["--address", "0.0.0.0:0", "--insecure"]);
        Assert.Equal("0.0.0.0", server.Address.Host);
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress($"http://127.0.0.1:{server.Address.Port}");
        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact(Timeout = 60_000)]
    public async Task AllInterfacesWithKeys_StartsWithoutInsecure_AndWarnsThatThereIsNoTls()
    {
        string keys = Path.Combine(_dir, "keys.txt");
        await File.WriteAllTextAsync(keys, "root admin a-long-enough-admin-secret\n");
        using var server = await ServerProcess.StartAsync(Path.Combine(_dir, "c.db"), TimeSpan.FromSeconds(30), extraArgs: ["--address", "0.0.0.0:0", "--api-keys", keys]);
        Assert.Contains(server.Output, line => line.Contains("without TLS", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Output, line => line.Contains("a-long-enough-admin-secret", StringComparison.Ordinal));
    }
}
