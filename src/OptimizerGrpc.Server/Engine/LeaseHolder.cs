namespace OptimizerGrpc.Server.Engine;

/// <summary>
/// Who holds a lease, and who may report on it. A lease records the worker id it was handed to; when the server
/// authenticates callers that id is qualified by the caller's name (<c>alice/worker-3</c>), so no message field can
/// borrow another caller's identity. A result claims an identity the same way: a full worker id must be the holder;
/// a bare caller prefix (<c>alice/</c>, a tell that names no worker) matches any of that caller's leases; an empty
/// claim (no authentication and no worker id) matches any lease, as worker ids are not secrets without authentication.
/// </summary>
internal static class LeaseHolder
{
    /// <summary>Separates the caller's name from the worker id it chose.</summary>
    public const char Separator = '/';

    /// <summary>The lease-holder id of <paramref name="workerId"/> sent by <paramref name="caller"/> ("" when unauthenticated).</summary>
    public static string Qualify(string caller, string workerId) =>
        caller.Length == 0 ? workerId : caller + Separator + workerId;

    /// <summary>Whether a result claiming <paramref name="claim"/> may close a lease held by <paramref name="holder"/>.</summary>
    public static bool Matches(string holder, string claim) =>
        claim.Length == 0
        || string.Equals(holder, claim, StringComparison.Ordinal)
        || (claim[^1] == Separator && holder.StartsWith(claim, StringComparison.Ordinal));
}
