using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Testing;

namespace OptimizerGrpc.Benchmarks;

/// <summary>
/// <c>soak</c>: 64 Work-stream workers (capacity 1, each answering at once) over four studies against an
/// <c>optimizer serve</c> child process for a fixed time: tells/s, tell latency (result sent to ack received), server
/// RSS after the warm-up and at the end; then restart time and RSS with 2,000 studies stored.
/// </summary>
internal static class SoakBenchmark
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> MainAsync(string[] args)
    {
        int seconds = 30, workers = 64, studies = 2000;
        for (int i = 1; i < args.Length; i++)
        {
            int Next() => i + 1 < args.Length ? int.Parse(args[++i], Inv) : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--seconds": seconds = Next(); break;
                case "--workers": workers = Next(); break;
                case "--studies": studies = Next(); break;
                default:
                    Console.Error.WriteLine("usage: OptimizerGrpc.Benchmarks soak [--seconds N (30)] [--workers N (64)] [--studies N (2000)]");
                    return 2;
            }
        }

        Console.WriteLine($"optimizer soak benchmark: {Environment.ProcessorCount} cores, {workers} workers x capacity 1 over 4 studies for {seconds} s, durability full, loopback");
        string dir = Directory.CreateTempSubdirectory("optimizer-soak-").FullName;
        try
        {
            var soak = await SoakAsync(Path.Combine(dir, "soak.db"), workers, TimeSpan.FromSeconds(seconds));
            Console.WriteLine($"{"tells",10} {"seconds",8} {"tells/s",9} {"p50 ms",8} {"p99 ms",8} {"rss warm MiB",13} {"rss end MiB",12} {"errors",7}");
            Console.WriteLine($"{soak.Tells,10} {soak.Seconds,8:F1} {soak.TellsPerSecond,9:F0} {soak.P50,8:F2} {soak.P99,8:F2} {soak.RssWarm,13:F0} {soak.RssEnd,12:F0} {soak.Errors,7}");
            var (restart, rss) = await StudiesAtRestart.MeasureAsync(studies);
            Console.WriteLine($"restart with {studies} studies stored: {restart:F2} s to listening, RSS {rss:F0} MiB");
            Console.WriteLine(string.Create(Inv,
                $"RESULT soak_tells_per_s={soak.TellsPerSecond:F0} soak_p99_ms={soak.P99:F2} soak_rss_growth_mb={soak.RssEnd - soak.RssWarm:F1} restart_s_{studies}_studies={restart:F2} rss_mb_{studies}_studies={rss:F0}"));
            return soak.Errors == 0 ? 0 : 1;
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private sealed record Soak(long Tells, double Seconds, double TellsPerSecond, double P50, double P99, double RssWarm, double RssEnd, int Errors);

    private static async Task<Soak> SoakAsync(string storage, int workers, TimeSpan duration)
    {
        using var server = await ServerProcess.StartAsync(storage, TimeSpan.FromSeconds(120));
        var ids = Enumerable.Range(0, 4).Select(i => $"soak{i}").ToList();
        foreach (var id in ids)
        {
            var spec = new StudySpec { DisplayName = id, Method = new MethodSpec { Random = new RandomSearchSettings(), Seed = 7 }, MaxTrials = 1_000_000_000 };
            var target = new Target { Name = "t", Kind = TargetKind.Custom };
            for (int p = 0; p < 3; p++)
            {
                target.Parameters.Add(new Parameter { Name = $"x{p}", FloatRange = new FloatRange { Low = 0, High = 1 } });
            }

            spec.Targets.Add(target);
            spec.Objectives.Add(new Objective { Metric = "y", Direction = Direction.Maximize });
            await server.Client.CreateStudyAsync(new CreateStudyRequest { StudyId = id, Spec = spec });
        }

        var warmup = TimeSpan.FromSeconds(Math.Min(5, duration.TotalSeconds / 4));
        using var stop = new CancellationTokenSource();
        var measuring = new StrongBox<bool>();
        var loops = Enumerable.Range(0, workers).Select(i => new SoakWorker($"w{i}", ids[i % ids.Count], measuring)).ToList();
        var running = loops.Select(w => Task.Run(() => w.RunAsync(server.Client, stop.Token))).ToList();
        await Task.Delay(warmup);
        double rssWarm = server.RssMb();
        Volatile.Write(ref measuring.Value, true);
        var clock = Stopwatch.StartNew();
        await Task.Delay(duration - warmup);
        Volatile.Write(ref measuring.Value, false);
        double elapsed = clock.Elapsed.TotalSeconds;
        double rssEnd = server.RssMb();
        await stop.CancelAsync();
        await Task.WhenAll(running);

        var latencies = loops.SelectMany(w => w.LatenciesMs).Order().ToArray();
        long tells = latencies.Length;
        return new Soak(tells, elapsed, tells / elapsed, Percentile(latencies, 0.50), Percentile(latencies, 0.99), rssWarm, rssEnd, loops.Count(w => w.Error is not null));
    }

    private static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, Math.Max(0, (int)Math.Ceiling(q * sorted.Length) - 1))];

    private sealed class StrongBox<T>
    {
        public T Value = default!;
    }

    /// <summary>One worker: capacity 1, answers each trial at once, timing each result from send to ack.</summary>
    private sealed class SoakWorker(string id, string study, StrongBox<bool> measuring)
    {
        public List<double> LatenciesMs { get; } = [];

        public Exception? Error { get; private set; }

        public async Task RunAsync(OptimizerService.OptimizerServiceClient client, CancellationToken stop)
        {
            try
            {
                using var call = client.Work(cancellationToken: stop);
                await call.RequestStream.WriteAsync(new WorkRequest { Hello = new WorkerHello { WorkerId = id, Capacity = 1, StudyIds = { study } } }, stop);
                long sent = 0;
                while (await call.ResponseStream.MoveNext(stop))
                {
                    var response = call.ResponseStream.Current;
                    if (response.KindCase == WorkResponse.KindOneofCase.Assignments)
                    {
                        var results = new TrialResults();
                        foreach (var a in response.Assignments.Assignments)
                        {
                            double y = -a.Trial.Params.Values.Sum(p => (p.FloatValue - 0.3) * (p.FloatValue - 0.3));
                            results.Results.Add(new TrialResult { StudyId = study, TrialNumber = a.Trial.Number, Attempt = a.Trial.Attempt, Outcome = new TrialOutcome { Values = { ["y"] = y } } });
                        }

                        sent = Stopwatch.GetTimestamp();
                        await call.RequestStream.WriteAsync(new WorkRequest { Results = results }, stop);
                    }
                    else if (response.KindCase == WorkResponse.KindOneofCase.Acks && Volatile.Read(ref measuring.Value))
                    {
                        double ms = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                        foreach (var ack in response.Acks.Acks)
                        {
                            if (ack.Status == TellStatus.Accepted)
                            {
                                LatenciesMs.Add(ms);
                            }
                        }
                    }
                }
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                // The end of the run: a cancel racing a read surfaces as CANCELLED, UNAVAILABLE or a cancellation.
            }
            catch (Exception ex) when (ex is RpcException or IOException or InvalidOperationException)
            {
                Error = ex;
            }
        }
    }
}
