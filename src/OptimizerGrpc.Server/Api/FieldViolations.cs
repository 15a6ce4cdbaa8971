using Google.Rpc;
using Grpc.Core;
using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Server.Api;

/// <summary>
/// Builds INVALID_ARGUMENT statuses carrying a google.rpc.BadRequest with every field violation, so a client sees all
/// its mistakes at once. Request checks of the services throw <see cref="Single"/>; spec validation in the mapping and
/// the planners throws the domain's <see cref="SpecValidationException"/>, which the interceptor turns into the same.
/// </summary>
internal static class FieldViolations
{
    public static RpcException Single(string field, string description) => ToRpc(SpecViolations.Single(field, description));

    public static RpcException ToRpc(SpecValidationException ex)
    {
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(ex.Violations.Select(v => new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Message }));
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = ex.Message,
            Details = { Google.Protobuf.WellKnownTypes.Any.Pack(badRequest) },
        };
        return status.ToRpcException();
    }
}
