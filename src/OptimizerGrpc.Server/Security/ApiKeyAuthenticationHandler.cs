using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OptimizerGrpc.Server.Security;

/// <summary>
/// Authenticates a call by the API key in its <c>x-api-key</c> header (gRPC metadata), against <see cref="ApiKeyStore"/>.
/// No header: no result (another scheme, or the challenge, answers). A key that matches none fails; its value is never
/// logged or echoed.
/// </summary>
internal sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    /// <summary>The request header (gRPC metadata key) that carries the key.</summary>
    public const string HeaderName = "x-api-key";

    /// <summary>The <c>HttpContext.Items</c> key of why credentials were refused.</summary>
    public const string FailureItem = "optimizer.authentication-failure";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values) || values.Count == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (values.Count > 1 || keys.Find(values[0] ?? "") is not { } key)
        {
            LogRefused(Logger, Context.Connection.RemoteIpAddress?.ToString() ?? "?");
            const string why = "the API key is not valid (revoked, mistyped, or from another server)";
            // The authentication middleware keeps only successful results; the gRPC answer reads the reason here.
            Context.Items[FailureItem] = why;
            return Task.FromResult(AuthenticateResult.Fail(why));
        }

        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(CallerClaims.For(key, SchemeName), SchemeName)));
    }

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning, Message = "Refused a call from {Peer}: its API key matches no accepted key")]
    private static partial void LogRefused(ILogger logger, string peer);
}
