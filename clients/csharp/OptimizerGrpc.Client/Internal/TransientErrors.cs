using Grpc.Core;

namespace OptimizerGrpc.Client;

/// <summary>Which failures of a long-lived stream are worth reconnecting after.</summary>
internal static class TransientErrors
{
    /// <summary>
    /// Unavailable (server down or restarting), Internal (broken HTTP/2 stream), Aborted, and Cancelled when the
    /// caller did not cancel (the server or a proxy ended the call); plain I/O failures too. Anything else
    /// (NotFound, InvalidArgument, Unauthenticated, ...) will fail again and is surfaced.
    /// </summary>
    public static bool IsTransient(Exception exception, CancellationToken callerToken) => exception switch
    {
        RpcException { StatusCode: StatusCode.Cancelled } => !callerToken.IsCancellationRequested,
        RpcException rpc => rpc.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Aborted,
        IOException or HttpRequestException => !callerToken.IsCancellationRequested,
        _ => false,
    };
}
