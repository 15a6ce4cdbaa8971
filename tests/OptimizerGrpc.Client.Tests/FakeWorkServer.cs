using System.Threading.Channels;
using Grpc.Core;
using V1 = OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Client.Tests;

/// <summary>
/// An in-memory stand-in for the Work RPC: each call the worker opens becomes a <see cref="FakeWorkCall"/> the
/// test scripts (read what the worker sent, push responses, drop the stream). Not a server: no search, no leases.
/// </summary>
internal sealed class FakeWorkServer : CallInvoker
{
    private readonly Channel<FakeWorkCall> _calls = Channel.CreateUnbounded<FakeWorkCall>();

    public async Task<FakeWorkCall> NextCallAsync() =>
        await _calls.Reader.ReadAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
        Method<TRequest, TResponse> method, string? host, CallOptions options)
    {
        var call = new FakeWorkCall(options.CancellationToken);
        _calls.Writer.TryWrite(call);
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(
            (IClientStreamWriter<TRequest>)(object)call.Requests, (IAsyncStreamReader<TResponse>)(object)call.Responses,
            Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException();

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException();

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException();

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException();
}

/// <summary>One scripted Work stream.</summary>
internal sealed class FakeWorkCall(CancellationToken callToken)
{
    private readonly Channel<V1.WorkRequest> _sent = Channel.CreateUnbounded<V1.WorkRequest>();
    private readonly Channel<V1.WorkResponse> _toWorker = Channel.CreateUnbounded<V1.WorkResponse>();

    public RequestWriter Requests => new(_sent.Writer);

    public ResponseReader Responses => new(_toWorker.Reader, callToken);

    /// <summary>The next message the worker sent, skipping heartbeats.</summary>
    public async Task<V1.WorkRequest> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var request = await _sent.Reader.ReadAsync(timeout.Token);
            if (request.KindCase != V1.WorkRequest.KindOneofCase.Heartbeat)
            {
                return request;
            }
        }
    }

    public void Send(V1.WorkResponse response) => _toWorker.Writer.TryWrite(response);

    public void Drop(StatusCode code) => _toWorker.Writer.TryComplete(new RpcException(new Status(code, "dropped by test")));

    internal sealed class RequestWriter(ChannelWriter<V1.WorkRequest> writer) : IClientStreamWriter<V1.WorkRequest>
    {
        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(V1.WorkRequest message)
        {
            writer.TryWrite(message);
            return Task.CompletedTask;
        }

        public Task CompleteAsync() => Task.CompletedTask;
    }

    internal sealed class ResponseReader(ChannelReader<V1.WorkResponse> reader, CancellationToken callToken) : IAsyncStreamReader<V1.WorkResponse>
    {
        public V1.WorkResponse Current { get; private set; } = new();

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, callToken);
            if (!await reader.WaitToReadAsync(linked.Token))
            {
                return false;
            }

            Current = await reader.ReadAsync(linked.Token);
            return true;
        }
    }
}
