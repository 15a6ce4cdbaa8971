using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using OptimizerGrpc.Server.Engine;

namespace OptimizerGrpc.Server.Security;

/// <summary>
/// Resource checks on one study for the gRPC service and the dashboard, through <see cref="IAuthorizationService"/>
/// (so <see cref="StudyAccessHandler"/> decides, as for endpoint policies). A refusal is
/// <see cref="StudyAccessDeniedException"/> (PERMISSION_DENIED) with its reason.
/// </summary>
internal sealed class StudyAccess(IAuthorizationService authorization, IOptions<ServerOptions> options)
{
    public bool Enabled { get; } = options.Value.Security.AuthenticationEnabled;

    /// <summary>The caller of an authorized call (the endpoint policy already required a usable identity).</summary>
    public Caller CallerOf(ClaimsPrincipal user) =>
        Caller.From(user, Enabled) ?? throw new StudyAccessDeniedException("the caller has no name or role this server knows");

    /// <summary>Throws unless the caller may do <paramref name="operation"/> on the study.</summary>
    public async Task RequireAsync(ClaimsPrincipal user, StudyOperation operation, string studyId, string owner)
    {
        if (!Enabled)
        {
            return;
        }

        var result = await authorization.AuthorizeAsync(user, new StudyResource(studyId, owner), new StudyOperationRequirement(operation)).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new StudyAccessDeniedException(
                result.Failure?.FailureReasons.Select(r => r.Message).FirstOrDefault() ?? $"the caller may not use study '{studyId}'");
        }
    }

    /// <summary>Whether the study shows in the caller's listings (the same rule as reading it).</summary>
    public bool CanSee(ClaimsPrincipal user, StudyEntry entry) =>
        !Enabled || (Caller.From(user, Enabled) is { } caller && StudyRights.CanSee(caller, new StudyResource(entry.StudyId, entry.Owner)));
}
