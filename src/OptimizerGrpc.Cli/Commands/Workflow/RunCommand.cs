using System.CommandLine;
using System.Globalization;
using OptimizerGrpc.Client;
using OptimizerGrpc.Optimization;
using OptimizerGrpc.Server;
using OptimizerGrpc.Server.Hosting;
using OptimizerGrpc.Trading;
using Serilog.Events;

namespace OptimizerGrpc.Cli.Commands.Workflow;

/// <summary>
/// <c>optimizer run &lt;config.yaml&gt; --data FILE</c>: loads the configuration into an <see cref="OptimizationManager"/>,
/// connects to <c>--server</c> or starts an embedded one, runs the configured workflow with local workers while
/// printing progress, then prints the best parameters per target and each stage's analysis verdict, and writes them
/// (with the full analysis) to <c>--output</c> as JSON and the dashboard's views to optimization_report.html beside it.
/// The embedded server serves the dashboard on a free loopback port while the run lasts (<c>--no-dashboard</c>: none).
/// Exit codes: 0 completed, 1 the study did not complete (failed, with its most common failure reasons on stderr),
/// 2 usage or configuration error, 3 refused by the server.
/// </summary>
internal static class RunCommand
{
    private static readonly Argument<string[]> Config = new("config.yaml") { Description = "The optimization_config.yaml (see samples/configs)", Arity = ArgumentArity.ZeroOrMore };
    private static readonly Option<string?> Data = new("--data") { Description = "The CSV series [default: samples/data/nyse_composite_daily_1966_2002.csv]", HelpName = "FILE" };
    private static readonly Option<string> Output = new("--output") { Description = "The result's JSON file", HelpName = "FILE", DefaultValueFactory = _ => "optimization_result.json" };
    private static readonly Option<string?> Sequence = new("--sequence") { Description = "Run this sequence instead of the configuration's", HelpName = "NAME" };
    private static readonly Option<int?> Workers = Parsers.Positive("--workers", "Trials evaluated at once [default: the processor count]");
    private static readonly Option<bool> NoDashboard = new("--no-dashboard") { Description = "No live dashboard on the embedded server" };

    public static Command Create()
    {
        var command = new Verb(
            "run",
            "Run the workflow of an optimization_config.yaml on a CSV series: starts an embedded server unless --server is " +
            "given, shows live progress per stage, prints the best parameters per target, per regime and per walk-forward " +
            "window and each stage's analysis verdict (importance, robust pick, DSR, PBO), and writes them, with the full " +
            "analysis, as JSON, and the dashboard's views to optimization_report.html beside it.",
            "run <config.yaml> [--data FILE] [--server ADDRESS] [--output FILE] [--sequence NAME] [--workers N] [--no-dashboard]")
        {
            Config, Data, Output, Sequence, Workers, NoDashboard,
        };
        var connection = ServerConnection.AddTo(command, embeddedWhenMissing: true);
        command.Notes = """
            The embedded server prints a live dashboard URL while the run lasts (--no-dashboard: none).
            Exit codes: 0 completed, 1 the study did not complete, 2 usage or configuration error, 3 the server cannot
            run the configured sequence or could not be reached.
            """;
        command.SetAction((parse, ct) => RunAsync(parse, connection, ct));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult options, ServerConnection connection, CancellationToken ct)
    {
        if (options.GetValue(Config) is not [string configFile])
        {
            throw new UsageException("run needs exactly one configuration file");
        }

        // Without --data, the NYSE composite sample of a clone (samples/data) is used.
        string dataPath = options.GetValue(Data) is { Length: > 0 } d ? d : SampleData.Find("nyse_composite_daily_1966_2002.csv");
        string output = options.GetValue(Output)!;
        OptimizationConfig config;
        PriceSeries series;
        try
        {
            config = OptimizationConfig.Load(configFile);
        }
        catch (Exception e) when (e is OptimizationConfigException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync(e is OptimizationConfigException
                ? $"optimizer: invalid configuration: {e.Message}"
                : $"optimizer: cannot read configuration file '{configFile}': {e.Message}");
            return 2;
        }

        try
        {
            series = new CsvDataHandler().Load(dataPath);
        }
        catch (Exception e) when (e is CsvFormatException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"optimizer: cannot read data file '{dataPath}': {e.Message}");
            return 2;
        }

        var plan = config.Run with { Sequence = options.GetValue(Sequence) ?? config.Run.Sequence };
        Console.WriteLine($"data     {series.Name}: {series.Count:N0} bars, {series.Times[0]:yyyy-MM-dd} .. {series.Times[^1]:yyyy-MM-dd}" +
            (series.Issues.Count > 0 ? $" ({series.Issues.Count} rows flagged by the CSV reader)" : ""));

        bool dashboard = !options.GetValue(NoDashboard);
        string? remote = connection.Address(options);
        await using var server = remote is not null ? null : await StartServerAsync(dashboard, ct);
        string address = remote ?? server!.Urls.First();
        Console.WriteLine($"server   {address}{(server is null ? "" : " (embedded)")}");
        string? dashboardUrl = server is null ? null : OptimizerServer.DashboardUrl(server);

        await using var client = new OptimizerClient(address, connection.ClientOptions(options));
        var manager = config.ApplyTo(new OptimizationManager(client));
        var progress = new ProgressLine();
        manager.OptimizationStarted += (_, e) =>
        {
            if (dashboardUrl is not null)
            {
                // Live while the run lasts (the embedded server stops with it); the report below keeps the views.
                Console.WriteLine($"watch    {dashboardUrl}/#/study/{Uri.EscapeDataString(e.StudyId)}");
            }

            progress.Start(e);
        };
        manager.StageStarted += (_, e) => progress.Stage(e);
        manager.TrialCompleted += (_, e) => progress.Trial(e);
        manager.NewBest += (_, e) => progress.Best(e);

        OptimizationResult result;
        try
        {
            result = await manager.RunOptimizationAsync(
                plan.Sequence, plan.Targets, series, plan.Methods, plan.Metrics, plan.Constraints,
                new RunOptions
                {
                    Workers = options.GetValue(Workers) ?? Environment.ProcessorCount, Commission = plan.Commission,
                    RegimeDetectorTarget = manager.Sequences[plan.Sequence] is RegimeSpecificOptimization ? plan.RegimeDetectorTarget : null,
                },
                ct);
        }
        catch (SequenceNotSupportedException e)
        {
            await Console.Error.WriteLineAsync($"optimizer: {e.Message}");
            return 3;
        }
        catch (OptimizationFailedException e)
        {
            // No trial completed: the message quotes the study's most common failure reasons.
            progress.Finish();
            await Console.Error.WriteLineAsync($"optimizer: {e.Message}");
            return 1;
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"optimizer: {e.Message}");
            return 2;
        }
        catch (Grpc.Core.RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.InvalidArgument)
        {
            // A setting only the server checks (a method's range, a walk-forward window): its message names the field.
            await Console.Error.WriteLineAsync($"optimizer: the server refused the study: {e.Status.Detail}");
            return 2;
        }

        progress.Finish();
        PrintTable(result);
        if (result.Analysis is { } analysis)
        {
            // Stage names (a target, a regime, a window) label the verdicts; the analysis knows only stage ids.
            AnalysisReport.PrintVerdicts(analysis, (await client.GetStudyAsync(result.StudyId, ct)).Stages);
            Console.WriteLine();
        }

        await ResultJson.WriteAsync(output, ResultJson.Of(result), ct);
        Console.WriteLine($"written  {output}");
        string report = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(output))!, "optimization_report.html");
        await File.WriteAllTextAsync(report, await client.GetStudyReportAsync(result.StudyId, ct), ct);
        Console.WriteLine($"written  {report} (the dashboard's views, opens offline)");
        return result.State == StudyState.Completed ? 0 : 1;
    }

    private static async Task<Microsoft.AspNetCore.Builder.WebApplication> StartServerAsync(bool dashboard, CancellationToken ct)
    {
        string storage = Path.Combine(Path.GetTempPath(), $"optimizer-run-{Environment.ProcessId}.db");
        var serverOptions = new ServerOptions { StoragePath = storage, DashboardAddress = dashboard ? "127.0.0.1:0" : null };
        var app = OptimizerServer.Build(serverOptions, "127.0.0.1:0", LogEventLevel.Warning);
        await OptimizerServer.InitializeAsync(app.Services, ct);
        await app.StartAsync(ct);
        return app;
    }

    private static void PrintTable(OptimizationResult result)
    {
        Console.WriteLine();
        Console.WriteLine($"study    {result.StudyId}: {result.State} in {result.Elapsed.TotalSeconds:F1} s, " +
            $"{result.Counts.Completed} completed, {result.Counts.Infeasible} infeasible, {result.Counts.Failed} failed");
        if (result.TargetResults.Count > 0)
        {
            Console.WriteLine();
            PrintTargets(result.TargetResults);
        }

        foreach (var (regime, regimeResult) in result.RegimeResults)
        {
            Console.WriteLine();
            if (regimeResult.Skipped)
            {
                Console.WriteLine($"regime   {regime}: {regimeResult.BarCount:N0} bars, skipped: {regimeResult.SkipReason}");
                continue;
            }

            Console.WriteLine($"regime   {regime}: {regimeResult.BarCount:N0} bars");
            PrintTargets(regimeResult.TargetResults);
        }

        if (result.WalkForward is { } walk)
        {
            PrintWalkForward(walk, result.TargetResults.Values.FirstOrDefault()?.Metric ?? "sharpe_ratio");
        }

        if (result.Hierarchical is { } hierarchical)
        {
            PrintHierarchical(hierarchical);
        }
    }

    private static void PrintHierarchical(HierarchicalResult h)
    {
        Console.WriteLine();
        Console.WriteLine($"hierarchical: {h.Candidates.Count} candidates of {string.Join(", ", h.OuterTargets)}, " +
            $"each scored by a search of {string.Join(", ", h.InnerTargets)}");
        static string Params(IReadOnlyDictionary<string, double> p) =>
            string.Join(", ", p.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}={kv.Value:G6}")));
        Console.WriteLine($"{"score",12} {"trials",7}  outer -> inner winner");
        foreach (var c in h.Candidates.OrderByDescending(c => double.IsNaN(c.BestScore) ? double.NegativeInfinity : c.BestScore))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{c.BestScore,12:F4} {c.Trials,7}  {Params(c.OuterParams)} -> {Params(c.InnerBestParams)}"));
        }
    }

    private static void PrintTargets(IReadOnlyDictionary<string, TargetResult> targets)
    {
        Console.WriteLine($"{"target",-20} {"parameter",-34} {"best",12}");
        foreach (var (name, target) in targets)
        {
            foreach (var (parameter, value) in target.BestParams)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-20} {parameter,-34} {value,12:G6}"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-20} {target.Metric + " (trial " + target.TrialNumber + ")",-34} {target.BestScore,12:F4}"));
        }
    }

    private static void PrintWalkForward(WalkForwardResult walk, string objective)
    {
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"walk-forward {walk.Windows.Count} windows: stitched out-of-sample return {walk.StitchedReturn:P2}, efficiency {walk.Efficiency:F3}, " +
            $"profitable windows {walk.ProfitableWindowShare:P0}"));
        // The objective first, then the return; every other metric is in the JSON file.
        var metrics = new[] { objective, "total_return" }.Distinct(StringComparer.Ordinal)
            .Where(m => walk.Windows.Any(w => w.InSampleMetrics.ContainsKey(m))).ToList();
        Console.WriteLine($"{"window",6} {"in-sample bars",16} {"out-of-sample bars",20} " +
            string.Concat(metrics.Select(m => $"{"IS " + m,18} {"OOS " + m,18} ")) + "best params");
        foreach (var w in walk.Windows)
        {
            var values = string.Concat(metrics.Select(m => string.Create(CultureInfo.InvariantCulture,
                $"{w.InSampleMetrics.GetValueOrDefault(m, double.NaN),18:F4} {w.OutOfSampleMetrics.GetValueOrDefault(m, double.NaN),18:F4} ")));
            var best = string.Join(", ", w.BestParams.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}={p.Value:G6}")));
            Console.WriteLine($"{w.Index,6} {$"{w.InSample.StartBar}..{w.InSample.EndBar}",16} {$"{w.OutOfSample.StartBar}..{w.OutOfSample.EndBar}",20} {values}{best}");
        }

        foreach (var (parameter, cv) in walk.ParameterStability)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stability {parameter}: coefficient of variation {cv:F3}"));
        }
    }
}
