using System.CommandLine;
using OptimizerGrpc.Server;
using OptimizerGrpc.Server.Hosting;
using OptimizerGrpc.Server.Security;
using Serilog.Events;

namespace OptimizerGrpc.Cli.Commands.Server;

/// <summary>
/// <c>optimizer serve</c>: the server alone, for remote workers, with the dashboard on its own HTTP/1.1 port
/// (<c>--dashboard HOST:PORT</c>, default 127.0.0.1:50052; <c>none</c> turns it off).
/// </summary>
internal static class ServeCommand
{
    /// <summary>The dashboard's default address: loopback, the port after the gRPC default.</summary>
    public const string DefaultDashboard = "127.0.0.1:50052";

    private static readonly Option<string> Address = Parsers.LastWins(new("--address")
    {
        Description = "Where to listen for gRPC (HOST:PORT; port 0 picks a free one)", HelpName = "HOST:PORT", DefaultValueFactory = _ => "127.0.0.1:50051",
    });

    private static readonly Option<string> Storage = Parsers.LastWins(new("--storage") { Description = "The SQLite file", HelpName = "FILE", DefaultValueFactory = _ => "optimizer.db" });

    private static readonly Option<string> Dashboard = Parsers.LastWins(new("--dashboard")
    {
        Description = "Where to serve the live dashboard over HTTP/1.1, or 'none'", HelpName = "HOST:PORT|none", DefaultValueFactory = _ => DefaultDashboard,
    });

    private static readonly Option<string> Durability = Parsers.Choice(
        "--durability", "strict: every lease committed to disk; full: results synced, leases relaxed; normal: SQLite NORMAL sync", "full", "strict", "full", "normal");

    private static readonly Option<string> LogLevel = Parsers.LastWins(new("--log-level")
    {
        Description = "verbose, debug, information, warning, error or fatal", HelpName = "LEVEL", DefaultValueFactory = _ => "Information",
    });

    private static readonly Option<int?> MaxMessageMb = Parsers.InRange("--max-message-mb", "Largest gRPC message in MiB [default: 64] (docs/limits.md)", 2047);
    private static readonly Option<int?> MaxStudies = Parsers.InRange("--max-studies", "Most studies stored [default: 10000]", int.MaxValue);
    private static readonly Option<int?> MaxLeasesPerStudy = Parsers.InRange("--max-leases-per-study", "Most trials leased at once in one study [default: 20000]", int.MaxValue);
    private static readonly Option<int?> MaxLeasesPerWorker = Parsers.InRange("--max-leases-per-worker", "Most trials leased at once to one worker id [default: 10000]", int.MaxValue);

    private static readonly Option<string> Reflection = Parsers.Choice(
        "--reflection", "gRPC server reflection (auto: on when the address is loopback)", "auto", "on", "off", "auto");

    private static readonly Option<string?> ApiKeys = new("--api-keys") { Description = "Keys file [default: $OPTIMIZER_API_KEYS_FILE] (docs/security.md)", HelpName = "FILE" };
    private static readonly Option<string?> JwtIssuer = new("--jwt-issuer") { Description = "Bearer tokens: the issuer", HelpName = "ISS" };
    private static readonly Option<string?> JwtAudience = new("--jwt-audience") { Description = "Bearer tokens: the audience", HelpName = "AUD" };
    private static readonly Option<string?> JwtKey = new("--jwt-key") { Description = "Bearer tokens: the signing key's file", HelpName = "FILE" };
    private static readonly Option<string?> TlsCert = new("--tls-cert") { Description = "TLS: the server certificate (PEM; 'optimizer tls create' makes one)", HelpName = "PEM" };
    private static readonly Option<string?> TlsKey = new("--tls-key") { Description = "TLS: its private key (PEM)", HelpName = "PEM" };
    private static readonly Option<bool> Insecure = new("--insecure") { Description = "Allow a non-loopback address without keys or tokens" };

    public static Command Create()
    {
        var command = new Verb(
            "serve",
            "Start the server alone, for remote workers. Prints 'listening on http://HOST:PORT' when ready, then 'dashboard at " +
            "http://HOST:PORT/': the live dashboard for a browser. SIGTERM or Ctrl+C stops it gracefully (streams end, reserved " +
            "trial numbers are given back), exit code 0.",
            "serve [--address HOST:PORT] [--storage FILE] [--dashboard HOST:PORT|none] [--durability strict|full|normal] [--log-level LEVEL] " +
            "[--max-message-mb N] [--max-studies N] [--max-leases-per-study N] [--max-leases-per-worker N] [--reflection on|off|auto] " +
            "[--api-keys FILE] [--jwt-issuer ISS --jwt-audience AUD --jwt-key FILE] [--tls-cert PEM --tls-key PEM] [--insecure]")
        {
            Address, Storage, Dashboard, Durability, LogLevel, MaxMessageMb, MaxStudies, MaxLeasesPerStudy, MaxLeasesPerWorker, Reflection,
            ApiKeys, JwtIssuer, JwtAudience, JwtKey, TlsCert, TlsKey, Insecure,
        };
        command.Notes = """
            Without keys or tokens only a loopback address is allowed, unless --insecure (docs/security.md).
            Exit codes: 0 stopped by a signal, 2 a usage error or a refused exposure, key or certificate.
            """;
        command.SetAction((parse, ct) => RunAsync(parse, ct));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult options, CancellationToken ct)
    {
        string address = options.GetValue(Address)!;
        string dashboard = options.GetValue(Dashboard)!;
        var serverOptions = new ServerOptions
        {
            StoragePath = options.GetValue(Storage)!,
            DashboardAddress = dashboard == "none" ? null : dashboard,
        };
        if (serverOptions.DashboardAddress is { } d)
        {
            try
            {
                OptimizerServer.ParseAddress(d);
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"--dashboard: {e.Message}, or 'none'");
            }
        }

        (serverOptions.SynchronousFull, serverOptions.RelaxLeaseCommits) = options.GetValue(Durability) switch
        {
            "strict" => (true, false),
            "normal" => (false, true),
            _ => (true, true),
        };
        serverOptions.MaxMessageBytes = checked((options.GetValue(MaxMessageMb) ?? 64) * 1024 * 1024);
        serverOptions.MaxStudies = options.GetValue(MaxStudies) ?? serverOptions.MaxStudies;
        serverOptions.MaxLeasesPerStudy = options.GetValue(MaxLeasesPerStudy) ?? serverOptions.MaxLeasesPerStudy;
        serverOptions.MaxLeasesPerWorker = options.GetValue(MaxLeasesPerWorker) ?? serverOptions.MaxLeasesPerWorker;
        serverOptions.Reflection = options.GetValue(Reflection) switch
        {
            "on" => true,
            "off" => false,
            _ => null,
        };
        serverOptions.Security = Security(options);
        var level = Enum.TryParse<LogEventLevel>(options.GetValue(LogLevel), ignoreCase: true, out var l) && Enum.IsDefined(l)
            ? l
            : throw new UsageException("--log-level must be one of verbose, debug, information, warning, error, fatal");
        var endpoint = OptimizerServer.ParseAddress(address);
        if (serverOptions.Security.AuthenticationEnabled && !serverOptions.Security.TlsEnabled && !System.Net.IPAddress.IsLoopback(endpoint.Address))
        {
            await Console.Error.WriteLineAsync(
                $"optimizer: warning: listening on {endpoint} without TLS: API keys and results cross the network in clear text; give --tls-cert and --tls-key");
        }

        Microsoft.AspNetCore.Builder.WebApplication built;
        try
        {
            built = OptimizerServer.Build(serverOptions, address, level);
        }
        catch (Exception e) when (e is InsecureListenException or FormatException or IOException or UnauthorizedAccessException)
        {
            // A refused exposure, or a keys file, key or certificate that cannot be read: say why, exit 2, start nothing.
            await Console.Error.WriteLineAsync($"optimizer: {e.Message}");
            return 2;
        }

        await using var app = built;
        await OptimizerServer.InitializeAsync(app.Services, ct);
        await app.StartAsync(ct);
        // Scripts (the Python LocalServer, the end-to-end tests) wait for this line to know the port.
        Console.WriteLine($"listening on {app.Urls.First()}");
        if (OptimizerServer.DashboardUrl(app) is { } url)
        {
            Console.WriteLine($"dashboard at {url}/");
        }

        // SIGINT/SIGTERM cancel ct (see CommandLine); the host's own lifetime may also be stopped first.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(ct, app.Lifetime.ApplicationStopping);
        try
        {
            await Task.Delay(Timeout.Infinite, stopping.Token);
        }
        catch (OperationCanceledException)
        {
            // A signal: stop gracefully.
        }

        await app.StopAsync(CancellationToken.None);
        return 0;
    }

    /// <summary>
    /// <c>--api-keys FILE</c> (else <c>OPTIMIZER_API_KEYS_FILE</c>; keys given inline in <c>OPTIMIZER_API_KEYS</c> are
    /// added), <c>--jwt-issuer/--jwt-audience/--jwt-key</c>, <c>--tls-cert/--tls-key</c>, <c>--insecure</c>.
    /// </summary>
    private static SecurityOptions Security(ParseResult options)
    {
        string? keysFile = (options.GetValue(ApiKeys) ?? Environment.GetEnvironmentVariable("OPTIMIZER_API_KEYS_FILE")) is { Length: > 0 } f ? f : null;
        if (keysFile is not null && !File.Exists(keysFile))
        {
            throw new UsageException($"--api-keys: no file '{keysFile}' (make keys with 'optimizer keys create --id NAME --role ROLE --file {keysFile}')");
        }

        string[] jwt = [options.GetValue(JwtIssuer) ?? "", options.GetValue(JwtAudience) ?? "", options.GetValue(JwtKey) ?? ""];
        if (jwt.Any(j => j.Length > 0) && jwt.Any(j => j.Length == 0))
        {
            throw new UsageException("bearer tokens need all of --jwt-issuer, --jwt-audience and --jwt-key");
        }

        string cert = options.GetValue(TlsCert) ?? "", key = options.GetValue(TlsKey) ?? "";
        if ((cert.Length == 0) != (key.Length == 0))
        {
            throw new UsageException("TLS needs both --tls-cert and --tls-key (PEM files; 'optimizer tls create' makes a pair)");
        }

        foreach (var (flag, file) in new[] { ("tls-cert", cert), ("tls-key", key), ("jwt-key", jwt[2]) })
        {
            if (file.Length > 0 && !File.Exists(file))
            {
                throw new UsageException($"--{flag}: no file '{file}'");
            }
        }

        return new SecurityOptions
        {
            ApiKeysFile = keysFile,
            ApiKeys = Environment.GetEnvironmentVariable("OPTIMIZER_API_KEYS") is { Length: > 0 } inline ? inline : null,
            Jwt = jwt[0].Length > 0 ? new JwtOptions { Issuer = jwt[0], Audience = jwt[1], KeyFile = jwt[2] } : null,
            TlsCertificateFile = cert.Length > 0 ? cert : null,
            TlsKeyFile = key.Length > 0 ? key : null,
            AllowInsecure = options.GetValue(Insecure),
        };
    }
}
