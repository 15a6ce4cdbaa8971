namespace OptimizerGrpc.Server.Security;

/// <summary>
/// The rules of who may do what (one place; the authorization handler and the study listings both ask here):
/// <list type="table">
/// <item><term>admin</term><description>everything, on every study</description></item>
/// <item><term>researcher</term><description>create; read, steer and work on the studies it owns</description></item>
/// <item><term>worker</term><description>read and work on the studies its scope allows</description></item>
/// <item><term>viewer</term><description>read every study</description></item>
/// </list>
/// A study created without authentication has no owner: only an admin may steer it, and researchers do not see it.
/// </summary>
public static class StudyRights
{
    /// <summary>Why the caller may not do <paramref name="operation"/> at all (whatever the study), or null when the role allows it.</summary>
    public static string? RoleRefusal(Caller caller, StudyOperation operation)
    {
        ArgumentNullException.ThrowIfNull(caller);
        bool allowed = (caller.Role, operation) switch
        {
            (Roles.Admin, _) => true,
            (Roles.Researcher, _) => true,
            (Roles.Worker, StudyOperation.Read or StudyOperation.Work) => true,
            (Roles.Viewer, StudyOperation.Read) => true,
            _ => false,
        };
        return allowed ? null : $"'{caller.Name}' has role '{caller.Role}', which may not {Verb(operation)} studies (docs/security.md)";
    }

    /// <summary>Why the caller may not do <paramref name="operation"/> on this study, or null when it may.</summary>
    public static string? Refusal(Caller caller, StudyOperation operation, StudyResource study)
    {
        ArgumentNullException.ThrowIfNull(study);
        if (RoleRefusal(caller, operation) is { } refusal)
        {
            return refusal;
        }

        return caller.Role switch
        {
            Roles.Researcher when !string.Equals(study.Owner, caller.Name, StringComparison.Ordinal) =>
                $"study '{study.StudyId}' belongs to {(study.Owner.Length == 0 ? "no owner" : $"'{study.Owner}'")}; a researcher may {Verb(operation)} only its own studies (an admin may any)",
            Roles.Worker when !caller.Scope.Allows(study.StudyId) =>
                $"the key of '{caller.Name}' is limited to studies {caller.Scope.Text}, not '{study.StudyId}'",
            _ => null,
        };
    }

    /// <summary>Whether the study shows in the caller's listings.</summary>
    public static bool CanSee(Caller caller, StudyResource study) => Refusal(caller, StudyOperation.Read, study) is null;

    private static string Verb(StudyOperation operation) => operation switch
    {
        StudyOperation.Read => "read",
        StudyOperation.Create => "create",
        StudyOperation.Steer => "stop, pause, resume or delete",
        _ => "ask for trials of or report results on",
    };
}
