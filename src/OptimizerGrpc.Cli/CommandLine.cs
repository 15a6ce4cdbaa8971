using System.Runtime.InteropServices;

namespace OptimizerGrpc.Cli;

/// <summary>The `optimizer` command: a tiny dispatcher over subcommands, with usage on every mistake.</summary>
internal static class CommandLine
{
    public const string Usage = """
        usage: optimizer <command> [options]

        commands:
          serve   --address HOST:PORT (default 127.0.0.1:50051) --storage FILE (default optimizer.db)
                  [--dashboard HOST:PORT|none (default 127.0.0.1:50052)]
                  [--durability strict|full|normal] [--log-level information|warning|...]
                  [--max-message-mb N (64)] [--max-studies N (10000)] [--max-leases-per-study N (20000)]
                  [--max-leases-per-worker N (10000)]   (docs/limits.md)
                  [--reflection on|off|auto (default auto: on when the address is loopback)]
                  [--api-keys FILE] [--jwt-issuer ISS --jwt-audience AUD --jwt-key FILE] [--tls-cert PEM --tls-key PEM]
                  [--insecure]   (docs/security.md: without keys or tokens only a loopback address is allowed,
                  unless --insecure)
                  Start the server alone, for remote workers. Prints 'listening on http://HOST:PORT' when ready, then
                  'dashboard at http://HOST:PORT/': the live dashboard for a browser. SIGTERM or Ctrl+C stops it
                  gracefully (streams end, reserved trial numbers are given back), exit code 0.
          run     <config.yaml> [--data FILE] [--server ADDRESS] [--output FILE] [--sequence NAME] [--workers N]
                  [--no-dashboard]
                  Run the workflow of an optimization_config.yaml (see samples/configs) on a CSV series (default
                  samples/data/nyse_composite_daily_1966_2002.csv): starts an embedded server unless --server is given,
                  evaluates N trials at once (default: the processor count), shows live progress per stage, prints the
                  best parameters per target, per regime and per walk-forward window and each stage's analysis
                  verdict (importance, robust pick, DSR, PBO), and writes them, with the full analysis, as JSON
                  (default optimization_result.json), and the dashboard's views to optimization_report.html beside it.
                  The embedded server prints a live dashboard URL while the run lasts (--no-dashboard: none).
          analyze <STUDY_ID> [--server ADDRESS] [--json FILE]
                  Print the analysis of a study on a running server (default http://127.0.0.1:50051): per stage the
                  parameter importance, each parameter's sensitivity, the best trial against the robust pick, the modes,
                  and the winner's overfitting statistics (PSR, DSR, MinTRL, MinBTL, PBO) or why they are unavailable;
                  the regime matrix or the walk-forward summary. --json writes the full analysis. An unknown study
                  exits with code 2.
          report  <STUDY_ID> [--server ADDRESS] [--out FILE]
                  Write a study's report (default report.html): one HTML file with the dashboard's views, data and
                  scripts inlined, that opens offline.
          keys create --id NAME --role admin|researcher|worker|viewer [--studies ID,PREFIX*] [--file FILE]
                  Make an API key: prints the secret once (first line) and adds its hash to FILE (a keys file for
                  'serve --api-keys'; the server reads changes within a second).
          tls create --host NAME[,IP...] [--out DIR (default tls)]
                  Make a private CA and a server certificate signed by it: DIR/ca.pem (give it to clients: --tls-ca,
                  OPTIMIZER_TLS_CA), DIR/server.pem and DIR/server-key.pem (for 'serve --tls-cert/--tls-key').
          Commands that talk to a running server (run --server, analyze, report) take --api-key KEY (else
          OPTIMIZER_API_KEY) and --tls-ca FILE (else OPTIMIZER_TLS_CA); use an https:// address for TLS.
          demo    [--data FILE] [--storage FILE] [--workers N]
                  Start an embedded server and tune a moving-average crossover's two windows on the NYSE
                  composite series by grid search (fast < slow), with live progress; prints the best Sharpe ratio.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        try
        {
            var options = Options.Parse(args.AsSpan(1));
            using var cts = new CancellationTokenSource();
            // SIGINT (Ctrl+C) and SIGTERM (docker stop, systemd, Kubernetes) both stop gracefully: the command drains
            // and the server checkpoints. Cancelling the default action keeps the process alive until it returns.
            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                cts.Cancel();
            }

            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            return args[0] switch
            {
                "run" => await RunCommand.RunAsync(options, cts.Token),
                "analyze" => await AnalyzeCommand.RunAsync(options, cts.Token),
                "report" => await ReportCommand.RunAsync(options, cts.Token),
                "keys" => KeysCommand.Run(options),
                "tls" => TlsCommand.Run(options),
                _ when options.Positionals.Count > 0 => throw new UsageException($"unexpected argument '{options.Positionals[0]}'"),
                "serve" => await ServeCommand.RunAsync(options, cts.Token),
                "demo" => await DemoCommand.RunAsync(options, cts.Token),
                _ => throw new UsageException($"unknown command '{args[0]}'"),
            };
        }
        catch (UsageException ex)
        {
            await Console.Error.WriteLineAsync($"optimizer: {ex.Message}\n\n{Usage}");
            return 2;
        }
    }
}

/// <summary>A mistake on the command line; printed with the usage text, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>Parsed <c>--name value</c> pairs.</summary>
internal sealed class Options
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly List<string> _positionals = [];
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    /// <summary>Options that take no value.</summary>
    private static readonly HashSet<string> Flags = new(["no-dashboard", "insecure"], StringComparer.Ordinal);

    public bool Has(string flag) => _flags.Contains(flag);

    /// <summary>Arguments that are not options (the config file of <c>run</c>, the study id of <c>analyze</c>).</summary>
    public IReadOnlyList<string> Positionals => _positionals;

    public static Options Parse(ReadOnlySpan<string> args)
    {
        var options = new Options();
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                options._positionals.Add(args[i]);
                continue;
            }

            if (Flags.Contains(args[i][2..]))
            {
                options._flags.Add(args[i][2..]);
                continue;
            }

            if (i + 1 >= args.Length)
            {
                throw new UsageException($"expected '--name value' but got '{args[i]}'");
            }

            options._values[args[i][2..]] = args[++i];
        }

        return options;
    }

    public string Get(string name, string fallback) => _values.GetValueOrDefault(name, fallback);

    public int GetInt(string name, int fallback) =>
        !_values.TryGetValue(name, out var text) ? fallback
        : int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out int value) && value > 0 ? value
        : throw new UsageException($"--{name} must be a positive whole number, got '{text}'");
}
