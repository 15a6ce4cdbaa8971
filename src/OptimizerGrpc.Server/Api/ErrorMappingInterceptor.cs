using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using OptimizerGrpc.Core.Studies;
using OptimizerGrpc.Server.Engine;
using OptimizerGrpc.Server.Engine.Store;

namespace OptimizerGrpc.Server.Api;

/// <summary>Maps domain and engine exceptions to status codes in one place, so the engine and the services just throw.</summary>
internal sealed partial class ErrorMappingInterceptor(ILogger<ErrorMappingInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Map(ex, context.Method);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Map(ex, context.Method);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (IOException ex)
        {
            // The only I/O of a duplex call is its stream: the client reset or dropped it (a worker stopping, a network
            // cut). A disconnect, not a server fault; its leases expire and its trials go back to the queue as usual.
            LogDisconnected(context.Method, context.Peer, ex.Message);
            throw new RpcException(new Status(StatusCode.Cancelled, "the client closed the stream: " + ex.Message));
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Map(ex, context.Method);
        }
    }

    private RpcException Map(Exception ex, string method)
    {
        switch (ex)
        {
            case SpecValidationException invalid:
                return FieldViolations.ToRpc(invalid);
            case StudyNotFoundException or StudyDeletedException:
                return new RpcException(new Status(StatusCode.NotFound, ex.Message));
            case StudyAlreadyExistsException:
                return new RpcException(new Status(StatusCode.AlreadyExists, ex.Message));
            case TellRejectedException rejected:
                return new RpcException(new Status(
                    rejected.NotFound ? StatusCode.NotFound : rejected.NotHolder ? StatusCode.PermissionDenied : StatusCode.FailedPrecondition, ex.Message));
            case StudyAccessDeniedException:
                return new RpcException(new Status(StatusCode.PermissionDenied, ex.Message));
            case LeaseLimitException or StudyLimitException:
                return new RpcException(new Status(StatusCode.ResourceExhausted, ex.Message));
            case WatcherOverflowException:
                return new RpcException(new Status(StatusCode.ResourceExhausted, ex.Message));
            case InvalidStudyStateException:
                return new RpcException(new Status(StatusCode.FailedPrecondition, ex.Message));
            case StoreFaultedException:
                return new RpcException(new Status(StatusCode.Unavailable, ex.Message));
            case OperationCanceledException:
                return new RpcException(new Status(StatusCode.Cancelled, "the call was cancelled"));
            default:
                LogUnexpected(ex, method);
                return new RpcException(new Status(StatusCode.Internal, "internal error: " + ex.Message));
        }
    }

    [LoggerMessage(EventId = 51, Level = LogLevel.Information, Message = "{Peer} left {Method}: {Reason}")]
    private partial void LogDisconnected(string method, string peer, string reason);

    [LoggerMessage(EventId = 50, Level = LogLevel.Error, Message = "Unexpected error in {Method}")]
    private partial void LogUnexpected(Exception error, string method);
}
