using OptimizerGrpc.Server;
using OptimizerGrpc.Server.Hosting;
using OptimizerGrpc.Server.Security;
using Serilog.Events;

namespace OptimizerGrpc.Cli;

/// <summary>
/// <c>optimizer serve</c>: the server alone, for remote workers, with the dashboard on its own HTTP/1.1 port
/// (<c>--dashboard HOST:PORT</c>, default 127.0.0.1:50052; <c>none</c> turns it off).
/// </summary>
internal static class ServeCommand
{
    /// <summary>The dashboard's default address: loopback, the port after the gRPC default.</summary>
    public const string DefaultDashboard = "127.0.0.1:50052";

    public static async Task<int> RunAsync(Options options, CancellationToken ct)
    {
        string address = options.Get("address", "127.0.0.1:50051");
        string dashboard = options.Get("dashboard", DefaultDashboard);
        var serverOptions = new ServerOptions
        {
            StoragePath = options.Get("storage", "optimizer.db"),
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

        (serverOptions.SynchronousFull, serverOptions.RelaxLeaseCommits) = options.Get("durability", "full") switch
        {
            "strict" => (true, false),
            "full" => (true, true),
            "normal" => (false, true),
            var other => throw new UsageException($"--durability must be strict, full or normal, got '{other}'"),
        };
        serverOptions.MaxMessageBytes = checked(Positive(options, "max-message-mb", 64) * 1024 * 1024);
        serverOptions.MaxStudies = Positive(options, "max-studies", serverOptions.MaxStudies);
        serverOptions.MaxLeasesPerStudy = Positive(options, "max-leases-per-study", serverOptions.MaxLeasesPerStudy);
        serverOptions.MaxLeasesPerWorker = Positive(options, "max-leases-per-worker", serverOptions.MaxLeasesPerWorker);
        serverOptions.Reflection = options.Get("reflection", "auto") switch
        {
            "on" => true,
            "off" => false,
            "auto" => null,
            var other => throw new UsageException($"--reflection must be on, off or auto, got '{other}'"),
        };
        serverOptions.Security = Security(options);
        var level = Enum.TryParse<LogEventLevel>(options.Get("log-level", "Information"), ignoreCase: true, out var l)
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
    private static SecurityOptions Security(Options options)
    {
        string? keysFile = options.Get("api-keys", Environment.GetEnvironmentVariable("OPTIMIZER_API_KEYS_FILE") ?? "") is { Length: > 0 } f ? f : null;
        if (keysFile is not null && !File.Exists(keysFile))
        {
            throw new UsageException($"--api-keys: no file '{keysFile}' (make keys with 'optimizer keys create --id NAME --role ROLE --file {keysFile}')");
        }

        string[] jwt = [options.Get("jwt-issuer", ""), options.Get("jwt-audience", ""), options.Get("jwt-key", "")];
        if (jwt.Any(j => j.Length > 0) && jwt.Any(j => j.Length == 0))
        {
            throw new UsageException("bearer tokens need all of --jwt-issuer, --jwt-audience and --jwt-key");
        }

        string cert = options.Get("tls-cert", ""), key = options.Get("tls-key", "");
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
            AllowInsecure = options.Has("insecure"),
        };
    }

    private static int Positive(Options options, string flag, int fallback)
    {
        string text = options.Get(flag, fallback.ToString(System.Globalization.CultureInfo.InvariantCulture));
        int max = flag == "max-message-mb" ? 2047 : int.MaxValue;
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int value) && value >= 1 && value <= max
            ? value
            : throw new UsageException($"--{flag} must be a whole number from 1 to {max}, got '{(text.Length > 20 ? text[..20] + "..." : text)}'");
    }
}
