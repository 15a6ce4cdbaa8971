using Microsoft.AspNetCore.Authorization;

namespace OptimizerGrpc.Server.Security;

/// <summary>The authorization policies of the endpoints, one per <see cref="StudyOperation"/>.</summary>
public static class Policies
{
    public const string Read = "optimizer.read";
    public const string Create = "optimizer.create";
    public const string Steer = "optimizer.steer";
    public const string Work = "optimizer.work";

    internal static void Add(AuthorizationOptions options, bool authenticationEnabled)
    {
        foreach (var (name, operation) in new[]
                 {
                     (Read, StudyOperation.Read), (Create, StudyOperation.Create), (Steer, StudyOperation.Steer), (Work, StudyOperation.Work),
                 })
        {
            options.AddPolicy(name, p =>
            {
                if (authenticationEnabled)
                {
                    p.RequireAuthenticatedUser();
                }

                p.AddRequirements(new StudyOperationRequirement(operation));
            });
        }

        // An endpoint that names no policy still needs an authenticated caller: new routes are closed by default.
        if (authenticationEnabled)
        {
            options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        }
    }
}
