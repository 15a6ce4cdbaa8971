using OptimizerGrpc.Client;

namespace OptimizerGrpc.Cli;

/// <summary>
/// The credentials and TLS trust of commands that talk to a running server: <c>--api-key</c> (else
/// <c>OPTIMIZER_API_KEY</c>) and <c>--tls-ca FILE</c> (else <c>OPTIMIZER_TLS_CA</c>); a bearer token from
/// <c>OPTIMIZER_TOKEN</c>. Prefer the environment for keys: a command line is visible to every user of the machine.
/// </summary>
internal static class Connection
{
    public static OptimizerClientOptions ClientOptions(Options options)
    {
        var defaults = new OptimizerClientOptions();
        string? ca = options.Get("tls-ca", "") is { Length: > 0 } file ? file : defaults.CertificateAuthorityFile;
        if (ca is not null && !File.Exists(ca))
        {
            throw new UsageException($"--tls-ca: no file '{ca}'");
        }

        return defaults with
        {
            ApiKey = options.Get("api-key", "") is { Length: > 0 } key ? key : defaults.ApiKey,
            CertificateAuthorityFile = ca,
        };
    }
}
