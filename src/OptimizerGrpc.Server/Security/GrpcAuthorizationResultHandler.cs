using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace OptimizerGrpc.Server.Security;

/// <summary>
/// Answers a gRPC call that authorization turned away with a proper gRPC status and a message that says what to do
/// (UNAUTHENTICATED: no or bad credentials; PERMISSION_DENIED: the reason), instead of a bare HTTP 401/403 that
/// clients report as "Bad gRPC response". Other requests (the dashboard) get the default answer.
/// </summary>
internal sealed class GrpcAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    public const string NoCredentials =
        "this server requires credentials: an API key in the 'x-api-key' metadata (--api-key or OPTIMIZER_API_KEY) or a bearer token";

    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        bool grpc = context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;
        if (!grpc || authorizeResult.Succeeded)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        if (authorizeResult.Challenged)
        {
            string? failure = context.Items.TryGetValue(ApiKeyAuthenticationHandler.FailureItem, out var why) ? why as string : null;
            Answer(context, 16, failure ?? NoCredentials);
        }
        else
        {
            string reason = authorizeResult.AuthorizationFailure?.FailureReasons.Select(r => r.Message).FirstOrDefault()
                ?? "the caller's role does not allow this call";
            Answer(context, 7, reason);
        }
    }

    // A trailers-only gRPC response: HTTP 200 with the status in the headers (the gRPC over HTTP/2 protocol).
    private static void Answer(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/grpc";
        context.Response.Headers["grpc-status"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers["grpc-message"] = Uri.EscapeDataString(message);
    }
}
