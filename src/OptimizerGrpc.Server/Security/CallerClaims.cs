using System.Security.Claims;

namespace OptimizerGrpc.Server.Security;

/// <summary>
/// The claim types every scheme fills the same way (API keys, bearer tokens, dashboard sessions), named as in JWT:
/// <c>sub</c> is the caller, <c>role</c> its role, <c>studies</c> its study scope.
/// </summary>
public static class CallerClaims
{
    public const string Name = "sub";
    public const string Role = "role";
    public const string Studies = "studies";

    /// <summary>The identity of a key: what the API key scheme and the dashboard's session cookie carry.</summary>
    public static ClaimsPrincipal For(ApiKey key, string authenticationType)
    {
        ArgumentNullException.ThrowIfNull(key);
        var identity = new ClaimsIdentity(
            [new Claim(Name, key.Id), new Claim(Role, key.Role), new Claim(Studies, key.Scope.Text)],
            authenticationType, Name, Role);
        return new ClaimsPrincipal(identity);
    }
}
