using System.CommandLine;
using OptimizerGrpc.Server.Security;

namespace OptimizerGrpc.Cli.Commands.Setup;

/// <summary>
/// <c>optimizer tls create --host NAME[,IP...] [--out DIR]</c>: a private CA and a server certificate for the hosts,
/// as PEM files. The CA's private key is not kept: nothing else can be signed with it later, which is what a team
/// without a PKI wants from a one-server CA.
/// </summary>
internal static class TlsCommand
{
    private static readonly Option<string> Host = new("--host") { Description = "Names and addresses clients use to reach the server", HelpName = "NAME[,IP...]", DefaultValueFactory = _ => "" };
    private static readonly Option<string> Out = new("--out") { Description = "The folder for ca.pem, server.pem and server-key.pem", HelpName = "DIR", DefaultValueFactory = _ => "tls" };

    public static Command Create()
    {
        var create = new Verb(
            "create",
            "Make a private CA and a server certificate signed by it: DIR/ca.pem (give it to clients: --tls-ca, " +
            "OPTIMIZER_TLS_CA), DIR/server.pem and DIR/server-key.pem (for 'serve --tls-cert/--tls-key').",
            "tls create --host NAME[,IP...] [--out DIR]")
        {
            Host, Out,
        };
        create.SetAction(Run);
        return new Command("tls", "A private CA and server certificate for TLS (docs/security.md)") { create };
    }

    private static int Run(ParseResult options)
    {
        var hosts = options.GetValue(Host)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (hosts.Length == 0)
        {
            throw new UsageException("--host needs the names and addresses clients use to reach the server, e.g. --host optimizer.lan,10.0.0.5");
        }

        string dir = options.GetValue(Out)!;
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
