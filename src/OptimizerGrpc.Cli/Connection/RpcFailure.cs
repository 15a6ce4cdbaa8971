using System.Text;
using Grpc.Core;

namespace OptimizerGrpc.Cli.Connection;

/// <summary>A server's error as the operator verbs print it (<c>optimizer: NOT_FOUND: ...</c>) and its exit code.</summary>
internal static class RpcFailure
{
    public static int ExitCode(StatusCode code) => code switch
    {
        StatusCode.OK => ExitCodes.Ok,
        StatusCode.NotFound or StatusCode.InvalidArgument => ExitCodes.Usage,
        StatusCode.Unauthenticated or StatusCode.PermissionDenied => ExitCodes.Denied,
        StatusCode.FailedPrecondition or StatusCode.AlreadyExists or StatusCode.Aborted or StatusCode.ResourceExhausted
            or StatusCode.OutOfRange or StatusCode.Cancelled => ExitCodes.Failed,
        _ => ExitCodes.Unreachable,
    };

    /// <summary>The status as gRPC's documentation spells it: NOT_FOUND, UNAUTHENTICATED.</summary>
    public static string Name(StatusCode code)
    {
        var name = new StringBuilder();
        foreach (char c in code.ToString())
        {
            if (char.IsUpper(c) && name.Length > 0)
            {
                name.Append('_');
            }

            name.Append(char.ToUpperInvariant(c));
        }

        return name.ToString();
    }

    public static async Task<int> ReportAsync(RpcException e, string address)
    {
        string hint = e.StatusCode switch
        {
            StatusCode.Unavailable => $" (no server answered at {address}: start one with 'optimizer serve', or give --server or ${ServerConnection.AddressVariable})",
            StatusCode.Unauthenticated => " (give an API key: --api-key or $OPTIMIZER_API_KEY; docs/security.md)",
            _ => "",
        };
        await Console.Error.WriteLineAsync($"optimizer: {Name(e.StatusCode)}: {e.Status.Detail}{hint}");
        return ExitCode(e.StatusCode);
    }
}
