using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace OptimizerGrpc.Server.Security;

/// <summary>
/// Decides <see cref="StudyOperationRequirement"/>s by <see cref="StudyRights"/>: on an endpoint (the role must allow
/// the operation) and on one study (<see cref="StudyResource"/>: ownership and scope too). Without authentication
/// every requirement succeeds. A refusal carries its reason, which the caller receives.
/// </summary>
internal sealed class StudyAccessHandler(IOptions<ServerOptions> options) : AuthorizationHandler<StudyOperationRequirement>
{
    private readonly bool _enabled = options.Value.Security.AuthenticationEnabled;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, StudyOperationRequirement requirement)
    {
        if (!_enabled)
        {
            context.Succeed(requirement);
            return Task.CompletedTask;
        }

        if (Caller.From(context.User, _enabled) is not { } caller)
        {
            // Not authenticated (or a token without a usable name and role): the policy's authenticated-user
            // requirement fails too, and the caller is challenged (UNAUTHENTICATED).
            return Task.CompletedTask;
        }

        string? refusal = context.Resource is StudyResource study
            ? StudyRights.Refusal(caller, requirement.Operation, study)
            : StudyRights.RoleRefusal(caller, requirement.Operation);
        if (refusal is null)
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AuthorizationFailureReason(this, refusal));
        }

        return Task.CompletedTask;
    }
}
