using OptimizerGrpc.Server.Security;

namespace OptimizerGrpc.Cli;

/// <summary>
/// <c>optimizer tls create --host NAME[,IP...] [--out DIR]</c>: a private CA and a server certificate for the hosts,
/// as PEM files. The CA's private key is not kept: nothing else can be signed with it later, which is what a team
/// without a PKI wants from a one-server CA.
/// </summary>
internal static class TlsCommand
{
    public static int Run(Options options)
    {
        if (options.Positionals is not ["create"])
        {
            throw new UsageException("expected 'optimizer tls create --host NAME[,IP...] [--out DIR]'");
        }

        var hosts = options.Get("host", "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (hosts.Length == 0)
        {
            throw new UsageException("--host needs the names and addresses clients use to reach the server, e.g. --host optimizer.lan,10.0.0.5");
        }

        string dir = options.Get("out", "tls");
        Directory.CreateDirectory(dir);
        var (ca, server, key) = TlsCertificates.CreateCaAndServer(hosts);
        string caPath = Path.Combine(dir, "ca.pem"), certPath = Path.Combine(dir, "server.pem"), keyPath = Path.Combine(dir, "server-key.pem");
        File.WriteAllText(caPath, ca);
        File.WriteAllText(certPath, server);
        File.WriteAllText(keyPath, key);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        Console.WriteLine($"wrote {caPath} (give to clients), {certPath} and {keyPath} (serve --tls-cert {certPath} --tls-key {keyPath}) for {string.Join(", ", hosts)}");
        return 0;
    }
}
