using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using OptimizerGrpc.Testing;

namespace OptimizerGrpc.EndToEnd.Tests.Operations;

/// <summary>The standard probes against the real process: gRPC health (what Kubernetes' grpc probe calls) and reflection.</summary>
public sealed class ProbeTests(ServerFixture fixture) : IClassFixture<ServerFixture>, IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly string _dir = Directory.CreateTempSubdirectory("optimizer-probe-").FullName;

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

    [Theory(Timeout = 60_000)]
    [InlineData("")]
    [InlineData("optimizer.v1.OptimizerService")]
    public async Task HealthCheck_ServerAndOptimizerService_AreServing(string service)
    {
        var health = new Health.HealthClient(fixture.Server.Channel);
        var response = await health.CheckAsync(new HealthCheckRequest { Service = service });
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact(Timeout = 60_000)]
    public async Task HealthCheck_UnknownService_IsNotFound()
    {
        var health = new Health.HealthClient(fixture.Server.Channel);
        var error = await Assert.ThrowsAsync<RpcException>(() => health.CheckAsync(new HealthCheckRequest { Service = "no.such.Service" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Theory(Timeout = 60_000)]
    [InlineData(null, true)] // auto: on for a loopback address
    [InlineData("off", false)]
    public async Task Reflection_FollowsTheOption(string? option, bool served)
    {
        using var server = await ServerProcess.StartAsync(
            Path.Combine(_dir, "reflection.db"), StartTimeout, extraArgs: option is null ? [] : ["--reflection", option]);
        var reflection = new ServerReflection.ServerReflectionClient(server.Channel);
        using var call = reflection.ServerReflectionInfo();
        try
        {
            await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
            await call.RequestStream.CompleteAsync();
            Assert.True(await call.ResponseStream.MoveNext());
            Assert.True(served, "reflection answered with --reflection off");
            Assert.Contains(call.ResponseStream.Current.ListServicesResponse.Service, s => s.Name == "optimizer.v1.OptimizerService");
        }
        catch (RpcException ex) when (!served)
        {
            Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
        }
    }
}
