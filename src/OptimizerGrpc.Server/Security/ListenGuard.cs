using System.Net;

namespace OptimizerGrpc.Server.Security;

/// <summary>
/// Refuses to listen beyond this machine without authentication: anyone who reaches such a port could read, stop or
/// delete every study and report any result. <see cref="SecurityOptions.AllowInsecure"/> (<c>--insecure</c>) accepts
/// that for a trusted network.
/// </summary>
public static class ListenGuard
{
    public static void ThrowIfExposed(SecurityOptions security, IReadOnlyList<IPEndPoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(security);
        ArgumentNullException.ThrowIfNull(endpoints);
        if (security.AuthenticationEnabled || security.AllowInsecure)
        {
            return;
        }

        foreach (var endpoint in endpoints)
        {
            if (!IPAddress.IsLoopback(endpoint.Address))
            {
                throw new InsecureListenException(
                    $"refusing to listen on {endpoint} without authentication: anyone who can reach it could read, stop or delete " +
                    "every study and report any result. Give --api-keys FILE (keys from 'optimizer keys create'; see docs/security.md), " +
                    "listen on 127.0.0.1, or add --insecure to accept this on a trusted network.");
            }
        }
    }
}

/// <summary>The server was asked to listen on a network address without authentication (see <see cref="ListenGuard"/>).</summary>
public sealed class InsecureListenException(string message) : Exception(message);
