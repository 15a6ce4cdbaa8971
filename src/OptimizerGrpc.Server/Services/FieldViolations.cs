using Google.Rpc;
using Grpc.Core;

namespace OptimizerGrpc.Server.Services;

/// <summary>
/// Collects field violations while validating a request, then throws one INVALID_ARGUMENT carrying
/// a google.rpc.BadRequest with every violation, so a client sees all its mistakes at once.
/// </summary>
internal sealed class FieldViolations
{
    private readonly List<BadRequest.Types.FieldViolation> _violations = [];

    public bool Any => _violations.Count > 0;

    public void Add(string field, string description) =>
        _violations.Add(new BadRequest.Types.FieldViolation { Field = field, Description = description });

    public void ThrowIfAny(string summary)
    {
        if (_violations.Count == 0)
        {
            return;
        }

        throw InvalidArgument(summary + ": " + string.Join("; ", _violations.Select(v => $"{v.Field}: {v.Description}")), _violations);
    }

    public static RpcException Single(string field, string description)
    {
        var v = new FieldViolations();
        v.Add(field, description);
        return InvalidArgument($"{field}: {description}", v._violations);
    }

    private static RpcException InvalidArgument(string message, IEnumerable<BadRequest.Types.FieldViolation> violations)
    {
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(violations);
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = message,
            Details = { Google.Protobuf.WellKnownTypes.Any.Pack(badRequest) },
        };
        return status.ToRpcException();
    }
}

/// <summary>Throw helpers for the other status codes, so every service method reads the same way.</summary>
internal static class RpcErrors
{
    public static RpcException NotFound(string what) => new(new Grpc.Core.Status(StatusCode.NotFound, what));

    public static RpcException Unimplemented(string what) => new(new Grpc.Core.Status(StatusCode.Unimplemented, what));

    public static RpcException FailedPrecondition(string what) => new(new Grpc.Core.Status(StatusCode.FailedPrecondition, what));

    public static RpcException AlreadyExists(string what) => new(new Grpc.Core.Status(StatusCode.AlreadyExists, what));
}
