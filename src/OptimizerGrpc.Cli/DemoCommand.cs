using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Server;
using OptimizerGrpc.Server.Hosting;
using OptimizerGrpc.Trading;
using Serilog.Events;

namespace OptimizerGrpc.Cli;

/// <summary>
/// <c>optimizer demo</c>: starts an embedded server on a free loopback port with a SQLite file, creates a grid
/// study over a moving-average crossover's two windows (fast &lt; slow as a relationship constraint), and runs
/// local workers that backtest each trial on the NYSE composite series and report its Sharpe ratio.
/// </summary>
internal static class DemoCommand
{
    private const string DataFile = "nyse_composite_daily_1966_2002.csv";

    public static async Task<int> RunAsync(Options options, CancellationToken ct)
    {
        string dataPath = options.Get("data", "") is { Length: > 0 } given ? given : SampleData.Find(DataFile);
        string storage = options.Get("storage", Path.Combine(Path.GetTempPath(), $"optimizer-demo-{Environment.ProcessId}.db"));
        int workers = options.GetInt("workers", Math.Max(2, Environment.ProcessorCount));

        var series = new CsvDataHandler().Load(dataPath);
        Console.WriteLine($"data     {series.Name}: {series.Count:N0} daily closes, {series.Times[0]:yyyy-MM-dd} .. {series.Times[^1]:yyyy-MM-dd}");
        var sweep = new MovingAverageSweep(series.Close);

        await using var server = OptimizerServer.Build(new ServerOptions { StoragePath = storage }, "127.0.0.1:0", LogEventLevel.Warning);
        await OptimizerServer.InitializeAsync(server.Services, ct);
        await server.StartAsync(ct);
        string address = server.Urls.First();
        Console.WriteLine($"server   {address}, storage {storage}");

        using var channel = GrpcChannel.ForAddress(address);
        var client = new OptimizerService.OptimizerServiceClient(channel);
        var spec = StudySpecFor(series.Count);
        var created = await client.CreateStudyAsync(new CreateStudyRequest { Spec = spec }, cancellationToken: ct);
        string studyId = created.Study.StudyId;
        Console.WriteLine($"study    {studyId}: grid over ma.fast 5..100 step 5 x ma.slow 20..300 step 10 where ma.fast < ma.slow, maximize sharpe_ratio");

        var clock = Stopwatch.StartNew();
        using var progressCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var progress = ShowProgressAsync(client, studyId, clock, progressCts.Token);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(i => WorkAsync(client, studyId, $"demo-worker-{i}", sweep, ct)));
        await progressCts.CancelAsync();
        await progress;

        var result = (await client.GetStudyResultAsync(new GetStudyResultRequest { StudyId = studyId }, cancellationToken: ct)).Result;
        var study = result.Study;
        Console.WriteLine();
        Console.WriteLine($"done     {study.State} in {clock.Elapsed.TotalSeconds:F1} s: {study.Counts.Completed} trials completed, {study.Counts.Failed} failed");
        var best = result.TargetResults.Single(t => t.Target == "ma");
        long fast = best.BestParams["fast"].IntValue, slow = best.BestParams["slow"].IntValue;
        var check = sweep.Evaluate((int)fast, (int)slow);
        Console.WriteLine($"best     ma.fast = {fast}, ma.slow = {slow}: Sharpe ratio {best.BestScore:F4} " +
            $"(total return {check.TotalReturn:P1}, max drawdown {check.MaxDrawdown:P1}, {check.TradeCount} trades; trial {best.TrialNumber})");
        return study.State == StudyState.Completed ? 0 : 1;
    }

    private static StudySpec StudySpecFor(int bars) => new()
    {
        DisplayName = "demo: moving-average crossover on the NYSE composite",
        Targets =
        {
            new Target
            {
                Name = "ma",
                Kind = TargetKind.RuleParameters,
                Description = "moving-average crossover: long when the fast SMA is above the slow SMA, else flat",
                Parameters =
                {
                    new Parameter { Name = "fast", IntRange = new IntRange { Low = 5, High = 100, Step = 5 } },
                    new Parameter { Name = "slow", IntRange = new IntRange { Low = 20, High = 300, Step = 10 } },
                },
            },
        },
        Objectives = { new Objective { Metric = "sharpe_ratio", Direction = Direction.Maximize } },
        Method = new MethodSpec { Grid = new GridSearchSettings(), Seed = 7 },
        Constraints = { new Constraint { Name = "fast_below_slow", Relationship = new RelationshipConstraint { Expression = "ma.fast < ma.slow" } } },
        Data = new DataDescription { Name = DataFile, BarCount = bars },
    };

    // One worker loop on the unary ask/tell API: ask a few trials, backtest, tell, until the study is finished.
    private static async Task WorkAsync(OptimizerService.OptimizerServiceClient client, string studyId, string workerId, MovingAverageSweep sweep, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var asked = await client.AskTrialsAsync(new AskTrialsRequest { StudyId = studyId, Count = 8, WorkerId = workerId }, cancellationToken: ct);
            if (asked.Trials.Count == 0)
            {
                if (asked.StudyFinished)
                {
                    return;
                }

                await Task.Delay(20, ct);
                continue;
            }

            foreach (var trial in asked.Trials)
            {
                var outcome = new TrialOutcome();
                var score = sweep.Evaluate((int)trial.Params["ma.fast"].IntValue, (int)trial.Params["ma.slow"].IntValue);
                outcome.Values["sharpe_ratio"] = score.SharpeRatio;
                outcome.Values["total_return"] = score.TotalReturn;
                outcome.Values["max_drawdown"] = score.MaxDrawdown;
                outcome.Values["trades"] = score.TradeCount;
                await client.TellTrialAsync(
                    new TellTrialRequest { StudyId = studyId, TrialNumber = trial.Number, Attempt = trial.Attempt, Outcome = outcome, WorkerId = workerId },
                    cancellationToken: ct);
            }
        }
    }

    // A live progress line fed by WatchStudy: trials finished, rate, and the best so far.
    private static async Task ShowProgressAsync(OptimizerService.OptimizerServiceClient client, string studyId, Stopwatch clock, CancellationToken ct)
    {
        long finished = 0;
        string best = "-";
        bool tty = !Console.IsOutputRedirected;
        var lastPrint = TimeSpan.Zero;
        try
        {
            using var call = client.WatchStudy(new WatchStudyRequest { StudyId = studyId, IncludeTrials = true }, cancellationToken: ct);
            await foreach (var response in call.ResponseStream.ReadAllAsync(ct))
            {
                var e = response.Event;
                if (e.KindCase == StudyEvent.KindOneofCase.TrialFinished)
                {
                    finished++;
                }
                else if (e.KindCase == StudyEvent.KindOneofCase.NewBest)
                {
                    var t = e.NewBest.Trial;
                    best = string.Create(CultureInfo.InvariantCulture, $"{t.ObjectiveValues[0]:F4} (fast {t.Params["ma.fast"].IntValue}, slow {t.Params["ma.slow"].IntValue})");
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

/// <summary>Finds samples/data from the working directory or the program's directory, walking up.</summary>
internal static class SampleData
{
    public static string Find(string fileName)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "samples", "data", fileName);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new UsageException($"cannot find samples/data/{fileName} above the working directory; pass --data FILE");
    }
}
