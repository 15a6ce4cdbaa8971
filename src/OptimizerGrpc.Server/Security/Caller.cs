using System.Security.Claims;

namespace OptimizerGrpc.Server.Security;

/// <summary>
/// Who is calling, as the rights need it: a name (owner of the studies it creates; prefix of its workers' lease ids),
/// a role and a study scope. Without authentication every caller is <see cref="Anonymous"/>: no name, every right.
/// </summary>
public sealed record Caller(string Name, string Role, StudyScope Scope)
{
    public static Caller Anonymous { get; } = new("", Roles.Admin, StudyScope.All);

    /// <summary>
    /// The caller of an authenticated principal; null when it has no name or no known role (such a token is refused).
    /// A principal with several roles gets the one with the most rights.
    /// </summary>
    public static Caller? From(ClaimsPrincipal user, bool authenticationEnabled)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!authenticationEnabled)
        {
            return Anonymous;
        }

        if (user.Identity is not { IsAuthenticated: true })
        {
            return null;
        }

        string? name = user.FindFirst(CallerClaims.Name)?.Value;
        var roles = user.FindAll(CallerClaims.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        string? role = Roles.All.FirstOrDefault(roles.Contains);
        if (name is null || !ApiKeyFile.IsValidId(name) || role is null)
        {
            return null;
        }

        var scopes = user.FindAll(CallerClaims.Studies).Select(c => c.Value).ToList();
        StudyScope scope;
        try
        {
            scope = scopes.Count == 0 ? StudyScope.All : StudyScope.Parse(string.Join(',', scopes));
        }
        catch (FormatException)
        {
            return null;
        }

        return new Caller(name, role, scope);
    }
}
