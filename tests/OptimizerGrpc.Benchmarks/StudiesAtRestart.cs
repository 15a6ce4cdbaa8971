using System.Diagnostics;
using System.Globalization;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Testing;

namespace OptimizerGrpc.Benchmarks;

/// <summary>
/// Restart cost against the number of stored studies: an <c>optimizer serve</c> child process (durability normal)
/// gets <c>count</c> finished studies (each a 3-parameter random search with 4 completed trials, then stopped), is
/// killed, and is started again on the same file. Reports the seconds from the new process's start to its
/// "listening" line and its resident set size then. Reusable by other suites (the soak benchmark reports it as
/// <c>restart_s_2000_studies</c> and <c>rss_mb_2000_studies</c>); <c>-- restart [count] [optimizer.dll]</c> runs it
/// alone, and the dll argument measures another build (for a before/after comparison).
/// </summary>
internal static class StudiesAtRestart
{
    private const int Parallel = 8, TrialsPerStudy = 4;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    public static async Task<(double Seconds, double RssMb)> MeasureAsync(int count, string? dll = null)
    {
        string dir = Directory.CreateTempSubdirectory("optimizer-bench-restart-").FullName;
        try
        {
            string storage = Path.Combine(dir, "restart.db");
            using (var server = await ServerProcess.StartAsync(storage, StartTimeout, "normal", dll))
            {
                int next = -1;
                await Task.WhenAll(Enumerable.Range(0, Parallel).Select(_ => Task.Run(async () =>
                {
                    for (int i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
                    {
                        await FillAsync(server.Client, "study-" + i.ToString(CultureInfo.InvariantCulture));
                    }
                })));
            }

            var clock = Stopwatch.StartNew();
            using var restarted = await ServerProcess.StartAsync(storage, StartTimeout, "normal", dll);
            double seconds = clock.Elapsed.TotalSeconds;
            double rss = restarted.RssMb();
            var listed = await restarted.Client.ListStudiesAsync(new ListStudiesRequest { PageSize = 1000 });
            if (listed.Studies.Count != Math.Min(count, 1000) || listed.Studies.Any(s => s.State != StudyState.Stopped || s.Counts.Completed != TrialsPerStudy))
            {
                throw new InvalidOperationException("the restarted server does not list every study as stored");
            }

            return (seconds, rss);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary><c>-- restart [count, default 2000] [optimizer.dll]</c>: prints the figures, last line RESULT.</summary>
    public static async Task<int> MainAsync(string[] args)
    {
        int count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000;
        string? dll = args.Length > 2 ? args[2] : null;
        var (seconds, rss) = await MeasureAsync(count, dll);
        Console.WriteLine($"studies={count} restart={seconds:F2} s rss={rss:F0} MB");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT restart_s_{count}_studies={seconds:F2} rss_mb_{count}_studies={rss:F0}"));
        return 0;
    }

    private static async Task FillAsync(OptimizerService.OptimizerServiceClient client, string id)
    {
        var spec = new StudySpec
        {
            DisplayName = id,
            MaxTrials = 100,
            Method = new MethodSpec { Random = new RandomSearchSettings(), Seed = 7 },
            Objectives = { new Objective { Metric = "score", Direction = Direction.Maximize } },
            Targets =
            {
                new Target
                {
                    Name = "t",
                    Parameters =
                    {
                        new Parameter { Name = "a", FloatRange = new FloatRange { Low = 0, High = 1 } },
                        new Parameter { Name = "b", FloatRange = new FloatRange { Low = 0, High = 1 } },
                        new Parameter { Name = "c", IntRange = new IntRange { Low = 1, High = 100 } },
                    },
                },
            },
        };
        await client.CreateStudyAsync(new CreateStudyRequest { StudyId = id, Spec = spec });
        var asked = await client.AskTrialsAsync(new AskTrialsRequest { StudyId = id, Count = TrialsPerStudy, WorkerId = "bench" });
        foreach (var trial in asked.Trials)
        {
            await client.TellTrialAsync(new TellTrialRequest
            {
                StudyId = id, TrialNumber = trial.Number, Attempt = trial.Attempt, WorkerId = "bench",
                Outcome = new TrialOutcome { Values = { ["score"] = trial.Number } },
            });
        }

        await client.StopStudyAsync(new StopStudyRequest { StudyId = id, Reason = "benchmark" });
    }
}
