using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Server.Hosting;
using Serilog.Events;

namespace OptimizerGrpc.Server.Tests.Api.Limits;

/// <summary>
/// One message limit on every path, over real Kestrel on a loopback port (the in-memory TestServer has no body limit):
/// a message up to MaxMessageBytes is read, a larger one is RESOURCE_EXHAUSTED, on unary calls and the Work stream.
/// </summary>
public sealed class MessageSizeTests
{
    [Fact]
    public async Task Unary_AboveKestrelDefaultBelowMaxMessageBytes_IsReadNotUnknown()
    {
        // 40 MB: above Kestrel's default 30,000,000-byte body limit, below the default 64 MiB.
        await using var server = await KestrelServer.StartAsync(new ServerOptions());
        var spec = Specs.Random(10);
        spec.DisplayName = new string('x', 40_000_000);

        var error = await Assert.ThrowsAsync<RpcException>(() => server.Client.CreateAsync("s", spec));

        // The server read the whole message: the spec is refused for its display name, not cut off with UNKNOWN.
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task Unary_AboveMaxMessageBytes_ResourceExhausted()
    {
        await using var server = await KestrelServer.StartAsync(new ServerOptions { MaxMessageBytes = 1 << 20 });
        var spec = Specs.Random(10);
        spec.DisplayName = new string('x', 2 << 20);

        var error = await Assert.ThrowsAsync<RpcException>(() => server.Client.CreateAsync("s", spec));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task WorkStream_MessageAboveMaxMessageBytes_ResourceExhausted()
    {
        await using var server = await KestrelServer.StartAsync(new ServerOptions { MaxMessageBytes = 1 << 20 });
        await server.Client.CreateAsync("s", Specs.Random(10));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var call = server.Client.Work(cancellationToken: cts.Token);

        await call.RequestStream.WriteAsync(new WorkRequest { Hello = new WorkerHello { WorkerId = "w", StudyIds = { "s" } } });
        Assert.True(await call.ResponseStream.MoveNext(cts.Token)); // welcome
        var big = new WorkRequest { Results = new TrialResults() };
        big.Results.Results.Add(new TrialResult { StudyId = "s", Outcome = new TrialOutcome { Error = new TrialError { Message = new string('x', 2 << 20) } } });
        try
        {
            await call.RequestStream.WriteAsync(big);
        }
        catch (RpcException)
        {
            // The server may end the call before the write completes; the status is read below.
        }

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext(cts.Token))
            {
            }
        });
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    /// <summary>The real server on a free loopback port, in-process, over a temp SQLite file.</summary>
    private sealed class KestrelServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly GrpcChannel _channel;
        private readonly string _folder;

        private KestrelServer(WebApplication app, GrpcChannel channel, string folder)
        {
            _app = app;
            _channel = channel;
            _folder = folder;
            Client = new OptimizerService.OptimizerServiceClient(channel);
        }

        public OptimizerService.OptimizerServiceClient Client { get; }

        public static async Task<KestrelServer> StartAsync(ServerOptions options)
        {
            string folder = Path.Combine(Path.GetTempPath(), "optimizer-ktest-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            options.StoragePath = Path.Combine(folder, "optimizer.db");
            var app = OptimizerServer.Build(options, "127.0.0.1:0", LogEventLevel.Fatal);
            await OptimizerServer.InitializeAsync(app.Services);
            await app.StartAsync();
            var channel = GrpcChannel.ForAddress(app.Urls.First(), new GrpcChannelOptions { MaxReceiveMessageSize = null, MaxSendMessageSize = null });
            return new KestrelServer(app, channel, folder);
        }

        public async ValueTask DisposeAsync()
        {
            _channel.Dispose();
            await _app.StopAsync();
            await _app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // A pooled handle may linger briefly; the temp folder is only litter then.
            }
        }
    }
}
