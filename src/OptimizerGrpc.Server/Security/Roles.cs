namespace OptimizerGrpc.Server.Security;

/// <summary>
/// The four roles (docs/security.md). <c>admin</c> may do everything; <c>researcher</c> creates studies and reads,
/// steers and works on its own; <c>worker</c> asks, tells and reads on the studies its scope allows; <c>viewer</c>
/// reads and watches every study.
/// </summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Researcher = "researcher";
    public const string Worker = "worker";
    public const string Viewer = "viewer";

    /// <summary>Every role, most rights first (a token with several roles gets the first it has).</summary>
    public static readonly IReadOnlyList<string> All = [Admin, Researcher, Worker, Viewer];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}
