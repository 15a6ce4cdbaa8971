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

    /// <summary>
    /// The error of a call on one study by analyze and report, in the words those commands always used: an unknown or
    /// malformed id (exit 2), refused credentials (4), no server (3), anything else (3, naming <paramref name="doing"/>).
    /// </summary>
    public static async Task<int> ReportStudyCallAsync(RpcException e, string address, string studyId, string doing)
    {
        ArgumentNullException.ThrowIfNull(e);
        switch (e.StatusCode)
        {
            case StatusCode.NotFound or StatusCode.InvalidArgument:
                await Console.Error.WriteLineAsync(e.StatusCode == StatusCode.NotFound
                    ? $"optimizer: no study '{studyId}' on {address}"
                    : $"optimizer: the server refused study id '{studyId}': {e.Status.Detail}");
                return ExitCodes.Usage;
            case StatusCode.Unauthenticated or StatusCode.PermissionDenied:
                return await ReportAsync(e, address);
            case StatusCode.Unavailable:
                await Console.Error.WriteLineAsync($"optimizer: cannot reach a server at {address} ({e.Status.Detail}); start one with `optimizer serve`");
                return ExitCodes.Unreachable;
            default:
                await Console.Error.WriteLineAsync($"optimizer: the server could not {doing} study '{studyId}': {e.StatusCode}: {e.Status.Detail}");
                return ExitCodes.Unreachable;
        }
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
