using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using OptimizerGrpc.Client;
using OptimizerGrpc.Server;
using OptimizerGrpc.Server.Hosting;
using OptimizerGrpc.Trading;
using Serilog.Events;

namespace OptimizerGrpc.Cli.Commands.Workflow;

/// <summary>
/// <c>optimizer demo</c>: starts an embedded server on a free loopback port with a SQLite file, creates a grid
/// study over a moving-average crossover's two windows (fast &lt; slow as a relationship constraint), and runs
/// local workers that backtest each trial on the NYSE composite series and report its Sharpe ratio.
/// </summary>
internal static class DemoCommand
{
    private const string DataFile = "nyse_composite_daily_1966_2002.csv";

    private static readonly Option<string?> Data = new("--data") { Description = $"The CSV series [default: samples/data/{DataFile}]", HelpName = "FILE" };
    private static readonly Option<string?> Storage = new("--storage") { Description = "The SQLite file [default: a new one in the temporary folder]", HelpName = "FILE" };
    private static readonly Option<int?> Workers = Parsers.Positive("--workers", "Trials evaluated at once [default: the processor count, at least 2]");

    public static Command Create()
    {
        var command = new Verb(
            "demo",
            "Start an embedded server and tune a moving-average crossover's two windows on the NYSE composite series by grid " +
            "search (fast < slow), with live progress; prints the best Sharpe ratio.",
            "demo [--data FILE] [--storage FILE] [--workers N]")
        {
            Data, Storage, Workers,
        };
        command.SetAction((parse, ct) => RunAsync(parse, ct));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult options, CancellationToken ct)
    {
        string dataPath = options.GetValue(Data) is { Length: > 0 } given ? given : SampleData.Find(DataFile);
        string storage = options.GetValue(Storage) ?? Path.Combine(Path.GetTempPath(), $"optimizer-demo-{Environment.ProcessId}.db");
        int workers = options.GetValue(Workers) ?? Math.Max(2, Environment.ProcessorCount);

        var series = new CsvDataHandler().Load(dataPath);
        Console.WriteLine($"data     {series.Name}: {series.Count:N0} daily closes, {series.Times[0]:yyyy-MM-dd} .. {series.Times[^1]:yyyy-MM-dd}");
        foreach (var issue in series.Issues)
        {
            // The data is used as given; what looks wrong in it is shown, not silently cleaned.
            Console.WriteLine($"note     {issue}");
        }

        var sweep = new MovingAverageSweep(series.Close);

        await using var server = OptimizerServer.Build(new ServerOptions { StoragePath = storage }, "127.0.0.1:0", LogEventLevel.Warning);
        await OptimizerServer.InitializeAsync(server.Services, ct);
        await server.StartAsync(ct);
        string address = server.Urls.First();
        Console.WriteLine($"server   {address}, storage {storage}");

        await using var client = new OptimizerClient(address);
        var created = await client.CreateStudyAsync(StudyFor(series.Count), cancellationToken: ct);
        string studyId = created.Study.StudyId;
        Console.WriteLine($"study    {studyId}: grid over ma.fast 5..100 step 5 x ma.slow 20..300 step 10 where ma.fast < ma.slow, maximize sharpe_ratio");

        var clock = Stopwatch.StartNew();
        using var progressCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var progress = ShowProgressAsync(client, studyId, clock, progressCts.Token);

        // One worker over one Work stream, evaluating `workers` trials at a time: the server keeps it fed.
        var worker = new OptimizerWorker(client, [studyId], (trial, _) => Task.FromResult(Backtest(sweep, trial)), new WorkerOptions { Capacity = workers });
        await worker.RunAsync(ct);
        await progress.WaitAsync(TimeSpan.FromSeconds(10), ct);
        await progressCts.CancelAsync();

        var result = await client.GetStudyResultAsync(studyId, ct);
        var study = result.Study;
        Console.WriteLine();
        Console.WriteLine($"done     {study.State} in {clock.Elapsed.TotalSeconds:F1} s: {study.Counts.Completed} trials completed, {study.Counts.Failed} failed");
        var best = result.TargetResults.Single(t => t.Target == "ma");
        int fast = best.BestParams["fast"].AsInt32(), slow = best.BestParams["slow"].AsInt32();
        var check = sweep.Evaluate(fast, slow);
        Console.WriteLine($"best     ma.fast = {fast}, ma.slow = {slow}: Sharpe ratio {best.BestScore:F4} " +
            $"(total return {check.TotalReturn:P1}, max drawdown {check.MaxDrawdown:P1}, {check.TradeCount} trades; trial {best.TrialNumber})");
        return study.State == StudyState.Completed ? 0 : 1;
    }

    // The backtest of one trial: the sweep reproduces rule + backtester + Sharpe on the whole series in O(n).
    private static TrialOutcome Backtest(MovingAverageSweep sweep, TrialInfo trial)
    {
        var score = sweep.Evaluate(trial["ma.fast"].AsInt32(), trial["ma.slow"].AsInt32());
        return TrialOutcome.FromValues(
            ("sharpe_ratio", score.SharpeRatio), ("total_return", score.TotalReturn), ("max_drawdown", score.MaxDrawdown), ("trades", score.TradeCount));
    }

    private static StudyDefinition StudyFor(int bars) => new StudyBuilder("demo: moving-average crossover on the NYSE composite")
        .Target("ma", t => t.Int("fast", 5, 100, step: 5).Int("slow", 20, 300, step: 10), TargetCategory.RuleParameters,
            "moving-average crossover: long when the fast SMA is above the slow SMA, else flat")
        .Maximize("sharpe_ratio")
        .GridSearch()
        .Seed(7)
        .Relationship("ma.fast < ma.slow", name: "fast_below_slow")
        .Data(DataFile, bars)
        .Build();

    // A live progress line fed by WatchStudy: trials finished, rate, and the best so far.
    private static async Task ShowProgressAsync(OptimizerClient client, string studyId, Stopwatch clock, CancellationToken ct)
    {
        long finished = 0;
        string best = "-";
        bool tty = !Console.IsOutputRedirected;
        var lastPrint = TimeSpan.Zero;
        try
        {
            await foreach (var e in client.WatchStudyAsync(studyId, includeTrials: true, cancellationToken: ct))
            {
                if (e.Kind == StudyEventKind.TrialFinished)
                {
                    finished++;
                }
                else if (e.Kind == StudyEventKind.NewBest && e.Trial is { } t)
                {
                    best = string.Create(CultureInfo.InvariantCulture, $"{t.ObjectiveValues[0]:F4} (fast {t["ma.fast"].AsInt32()}, slow {t["ma.slow"].AsInt32()})");
                }

                // A terminal gets a rewritten line; a log file gets a line a second.
                if (tty || clock.Elapsed - lastPrint >= TimeSpan.FromSeconds(1))
                {
                    lastPrint = clock.Elapsed;
                    string line = string.Create(CultureInfo.InvariantCulture,
                        $"progress {finished,4} trials  {finished / Math.Max(clock.Elapsed.TotalSeconds, 1e-3),8:F0} trials/s  best sharpe {best}");
                    Console.Write(tty ? "\r" + line : line + Environment.NewLine);
                }
            }
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled)
        {
            // The demo finished.
        }
        catch (OperationCanceledException)
        {
            // The demo finished.
        }

        Console.Write(tty ? Environment.NewLine : "");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"progress {finished,4} trials  best sharpe {best}"));
    }
}
