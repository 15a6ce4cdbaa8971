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
    /// <summary>
    /// The longest message or description sent back (1,000 characters). Messages quote input through
    /// <see cref="UserText.Quote"/>; this is the backstop for one that does not, so no answer grows with the input.
    /// </summary>
    public const int MaxMessageLength = 1000;

    public static RpcException Single(string field, string description) => ToRpc(SpecViolations.Single(field, description));

    public static RpcException ToRpc(SpecValidationException ex)
    {
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(ex.Violations.Select(v => new BadRequest.Types.FieldViolation { Field = Bounded(v.Field), Description = Bounded(v.Message) }));
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = Bounded(ex.Message),
            Details = { Google.Protobuf.WellKnownTypes.Any.Pack(badRequest) },
        };
        return status.ToRpcException();
    }

    private static string Bounded(string text) => text.Length <= MaxMessageLength ? text : string.Concat(text.AsSpan(0, MaxMessageLength), "…");
}
