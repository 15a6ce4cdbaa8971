using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Testing;

namespace OptimizerGrpc.Benchmarks;

/// <summary>
/// <c>throughput</c>: durable trials/s over the Work stream, unary ask/tell latency, RSS after 1M trials and
/// restart time on the 1M-trial file, each against an <c>optimizer serve</c> child process on loopback.
/// </summary>
internal static class ThroughputBenchmark
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    public static async Task<int> MainAsync(string[] args)
    {
        if (args.Length == 0 || args[0] != "throughput")
        {
            Console.Error.WriteLine("usage: OptimizerGrpc.Benchmarks throughput [--trials N] [--warmup N] [--rss-trials N] [--asktell N] [--streams N] [--capacity N]");
            return 2;
        }

        var o = Options.Parse(args.AsSpan(1));
        string dir = Directory.CreateTempSubdirectory("optimizer-bench-").FullName;
        try
        {
            return await RunAsync(o, dir);
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

    private static async Task<int> RunAsync(Options o, string dir)
    {
        Console.WriteLine($"optimizer throughput benchmark: {Environment.ProcessorCount} cores, {o.Streams} Work streams x capacity {o.Capacity}, random search, 5 float params, loopback");
        Console.WriteLine($"server: {ServerProcess.DefaultDll}");
        Console.WriteLine();

        var full = await ThroughputAsync(Path.Combine(dir, "full.db"), "full", o);
        var normal = await ThroughputAsync(Path.Combine(dir, "normal.db"), "normal", o);
        // The same run with an API key on every call and TLS on the connection (issue 15), beside the figures without.
        var secure = await SecureServer.CreateAsync(dir);
        var fullSecure = await ThroughputAsync(Path.Combine(dir, "full-secure.db"), "full", o, secure);

        Console.WriteLine($"{"scenario",-40} {"trials",9} {"seconds",8} {"trials/s",10} {"server cpu s",13} {"server µs/trial",16} {"client cpu s",13}");
        foreach (var r in new[] { full, normal, fullSecure })
        {
            string name = "Work stream, durability " + r.Durability + (r.Secure ? ", key+TLS" : "");
            Console.WriteLine($"{name,-40} {r.Trials,9} {r.Seconds,8:F2} {r.TrialsPerSecond,10:F0} {r.ServerCpu,13:F2} {r.ServerCpu / r.Trials * 1e6,16:F1} {r.ClientCpu,13:F2}");
        }

        Console.WriteLine();
        var (p50, p99, mean) = await AskTellAsync(Path.Combine(dir, "asktell.db"), o);
        Console.WriteLine($"{"unary AskTrials(1)+TellTrial",-40} iterations {o.AskTell}: p50 {p50:F3} ms, p99 {p99:F3} ms, mean {mean:F3} ms (durability full)");
        var (sp50, sp99, smean) = await AskTellAsync(Path.Combine(dir, "asktell-secure.db"), o, secure);
        Console.WriteLine($"{"unary AskTrials(1)+TellTrial, key+TLS",-40} iterations {o.AskTell}: p50 {sp50:F3} ms, p99 {sp99:F3} ms, mean {smean:F3} ms (durability full)");
        Console.WriteLine();

        var (rss, restart, parts, emptyStart) = await MillionAsync(Path.Combine(dir, "million.db"), o);
        Console.WriteLine($"{"RSS after " + o.RssTrials + " trials",-34} {rss:F0} MiB");
        Console.WriteLine($"{"restart on that file",-34} {restart:F2} s (listening {parts.Listening:F2} s, GetStudy {parts.GetStudy:F2} s, first trial {parts.FirstTrial:F2} s; empty-file start {emptyStart:F2} s)");
        Console.WriteLine();
        Console.WriteLine("For scale: Optuna 3.1 on this machine: 3,348 trials/s in memory, 25 trials/s on SQLite (random sampler, ask/tell)");
        Console.WriteLine(
            $"RESULT trials_per_s={full.TrialsPerSecond.ToString("F0", Inv)} trials_per_s_normal={normal.TrialsPerSecond.ToString("F0", Inv)} " +
            $"trials_per_s_key_tls={fullSecure.TrialsPerSecond.ToString("F0", Inv)} " +
            $"ask_tell_p50_ms={p50.ToString("F3", Inv)} ask_tell_p99_ms={p99.ToString("F3", Inv)} ask_tell_p50_ms_key_tls={sp50.ToString("F3", Inv)} " +
            $"rss_mb_1m={rss.ToString("F0", Inv)} restart_s_1m={restart.ToString("F2", Inv)}");
        return 0;
    }

    /// <summary>A keys file with one admin key, and a CA and server certificate for 127.0.0.1: the server's flags and the client's credentials.</summary>
    private sealed record SecureServer(string[] ServerArgs, OptimizerGrpc.Client.OptimizerClientOptions Credentials)
    {
        public static async Task<SecureServer> CreateAsync(string dir)
        {
            const string key = "benchmark-admin-key-0001";
            var (ca, cert, pem) = OptimizerGrpc.Server.Security.TlsCertificates.CreateCaAndServer(["127.0.0.1", "localhost"]);
            string caFile = Path.Combine(dir, "ca.pem"), certFile = Path.Combine(dir, "server.pem"), keyFile = Path.Combine(dir, "server-key.pem"), keys = Path.Combine(dir, "keys.txt");
            await File.WriteAllTextAsync(caFile, ca);
            await File.WriteAllTextAsync(certFile, cert);
            await File.WriteAllTextAsync(keyFile, pem);
            await File.WriteAllTextAsync(keys, $"bench admin {OptimizerGrpc.Server.Security.ApiKey.HashText(key)}\n");
            return new SecureServer(
                ["--api-keys", keys, "--tls-cert", certFile, "--tls-key", keyFile],
                new OptimizerGrpc.Client.OptimizerClientOptions { ApiKey = key, CertificateAuthorityFile = caFile });
        }
    }

    private sealed record ThroughputResult(string Durability, long Trials, double Seconds, double ServerCpu, double ClientCpu, bool Secure = false)
    {
        public double TrialsPerSecond => Trials / Seconds;
    }

    /// <summary>Runs warm-up + N trials through the Work stream; measures from the warm-up mark to the last ack.</summary>
    private static async Task<ThroughputResult> ThroughputAsync(string storage, string durability, Options o, SecureServer? secure = null)
    {
        using var server = await ServerProcess.StartAsync(storage, StartTimeout, durability, extraArgs: secure?.ServerArgs, credentials: secure?.Credentials);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await server.Client.CreateStudyAsync(new CreateStudyRequest { StudyId = "tp", Spec = Spec(o.Warmup + o.Trials) }, cancellationToken: cts.Token);
        BenchWorker.ResetAccepted();
        var workers = Enumerable.Range(0, o.Streams).Select(i => new BenchWorker(server.Client, $"w{i}", "tp", o.Capacity)).ToList();
        var running = workers.Select(w => Task.Run(() => w.RunAsync(cts.Token))).ToList();
        while (BenchWorker.Accepted < o.Warmup)
        {
            await Task.Delay(5, cts.Token);
        }

        long start = BenchWorker.Accepted;
        double serverCpu0 = CpuSeconds(server.Pid);
        var clientCpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(running);
        sw.Stop();
        double serverCpu = CpuSeconds(server.Pid) - serverCpu0;
        double clientCpu = (Process.GetCurrentProcess().TotalProcessorTime - clientCpu0).TotalSeconds;
        long trials = BenchWorker.Accepted - start;
        var study = (await server.Client.GetStudyAsync(new GetStudyRequest { StudyId = "tp" }, cancellationToken: cts.Token)).Study;
        if (study.State != StudyState.Completed || study.Counts.Completed != o.Warmup + o.Trials)
        {
            throw new InvalidOperationException($"study ended {study.State} with {study.Counts}");
        }

        return new ThroughputResult(durability, trials, sw.Elapsed.TotalSeconds, serverCpu, clientCpu, secure is not null);
    }

    private static async Task<(double P50, double P99, double Mean)> AskTellAsync(string storage, Options o, SecureServer? secure = null)
    {
        using var server = await ServerProcess.StartAsync(storage, StartTimeout, "full", extraArgs: secure?.ServerArgs, credentials: secure?.Credentials);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        int warm = Math.Min(500, o.AskTell);
        await server.Client.CreateStudyAsync(new CreateStudyRequest { StudyId = "at", Spec = Spec(warm + o.AskTell) }, cancellationToken: cts.Token);
        var ms = new double[o.AskTell];
        for (int i = 0; i < warm + o.AskTell; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            var asked = await server.Client.AskTrialsAsync(new AskTrialsRequest { StudyId = "at", Count = 1, WorkerId = "u" }, cancellationToken: cts.Token);
            var trial = asked.Trials[0];
            var tell = new TellTrialRequest { StudyId = "at", TrialNumber = trial.Number, Attempt = trial.Attempt, WorkerId = "u", Outcome = new TrialOutcome() };
            tell.Outcome.Values.Add("y", -trial.Params.Values.Sum(p => (p.FloatValue - 0.3) * (p.FloatValue - 0.3)));
            var told = await server.Client.TellTrialAsync(tell, cancellationToken: cts.Token);
            if (told.Status != TellStatus.Accepted)
            {
                throw new InvalidOperationException($"tell answered {told.Status}");
            }

            if (i >= warm)
            {
                ms[i - warm] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            }
        }

        double mean = ms.Average();
        Array.Sort(ms);
        return (Percentile(ms, 0.50), Percentile(ms, 0.99), mean);
    }

    private sealed record RestartParts(double Listening, double GetStudy, double FirstTrial);

    /// <summary>One study to 1M completed trials (durability full), RSS, then SIGKILL and a timed restart on that file.</summary>
    private static async Task<(double RssMb, double RestartS, RestartParts Parts, double EmptyStartS)> MillionAsync(string storage, Options o)
    {
        var startWatch = Stopwatch.StartNew();
        var server = await ServerProcess.StartAsync(storage, StartTimeout, "full");
        double emptyStart = startWatch.Elapsed.TotalSeconds;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(6));
            // Budget beyond the target so the study is still running (and can hand out a trial) after the restart.
            await server.Client.CreateStudyAsync(new CreateStudyRequest { StudyId = "million", Spec = Spec(o.RssTrials + 10_000) }, cancellationToken: cts.Token);
            BenchWorker.ResetAccepted();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
            var running = Enumerable.Range(0, o.Streams)
                .Select(i => new BenchWorker(server.Client, $"m{i}", "million", o.Capacity))
                .Select(w => Task.Run(() => w.RunAsync(stop.Token)))
                .ToList();
            var sw = Stopwatch.StartNew();
            long nextReport = 100_000;
            while (BenchWorker.Accepted < o.RssTrials)
            {
                await Task.Delay(20, cts.Token);
                if (BenchWorker.Accepted >= nextReport)
                {
                    Console.WriteLine($"  1M run: {BenchWorker.Accepted,9} trials, {sw.Elapsed.TotalSeconds,6:F1} s, RSS {server.RssMb():F0} MiB");
                    nextReport += 100_000;
                }
            }

            await stop.CancelAsync();
            try
            {
                await Task.WhenAll(running);
            }
            catch (Exception ex) when (ex is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
            {
            }

            double rss = server.RssMb();
            var before = (await server.Client.GetStudyAsync(new GetStudyRequest { StudyId = "million" }, cancellationToken: cts.Token)).Study;
            Console.WriteLine($"  1M run: {before.Counts.Completed} completed in {sw.Elapsed.TotalSeconds:F1} s; RSS {rss:F0} MiB; file {new FileInfo(storage).Length / 1048576.0:F0} MiB (+WAL {WalMb(storage):F0} MiB)");

            server.Kill();
            server.Dispose();
            var restart = Stopwatch.StartNew();
            server = await ServerProcess.StartAsync(storage, StartTimeout, "full");
            double listening = restart.Elapsed.TotalSeconds;
            var after = (await server.Client.GetStudyAsync(new GetStudyRequest { StudyId = "million" }, cancellationToken: cts.Token)).Study;
            double getStudy = restart.Elapsed.TotalSeconds;
            AskTrialsResponse asked;
            do
            {
                asked = await server.Client.AskTrialsAsync(new AskTrialsRequest { StudyId = "million", Count = 1, WorkerId = "r" }, cancellationToken: cts.Token);
            }
            while (asked.Trials.Count == 0 && !asked.StudyFinished);

            double firstTrial = restart.Elapsed.TotalSeconds;
            if (asked.Trials.Count == 0 || after.Counts.Completed < before.Counts.Completed)
            {
                throw new InvalidOperationException($"after the restart: {after.Counts}, asked {asked}");
            }

            return (rss, firstTrial, new RestartParts(listening, getStudy, firstTrial), emptyStart);
        }
        finally
        {
            server.Dispose();
        }
    }

    private static StudySpec Spec(long maxTrials)
    {
        var target = new Target { Name = "t", Kind = TargetKind.Custom };
        for (int i = 0; i < 5; i++)
        {
            target.Parameters.Add(new Parameter { Name = $"x{i}", FloatRange = new FloatRange { Low = 0, High = 1 } });
        }

        var spec = new StudySpec
        {
            DisplayName = "benchmark",
            Method = new MethodSpec { Random = new RandomSearchSettings(), Seed = 1 },
            MaxTrials = maxTrials,
        };
        spec.Targets.Add(target);
        spec.Objectives.Add(new Objective { Metric = "y", Direction = Direction.Maximize });
        return spec;
    }

    private static double Percentile(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

    /// <summary>utime + stime of a process from /proc/PID/stat, in seconds (clock ticks of 1/100 s).</summary>
    private static double CpuSeconds(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], Inv) + long.Parse(fields[12], Inv)) / 100.0;
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }

    private static double WalMb(string storage) => File.Exists(storage + "-wal") ? new FileInfo(storage + "-wal").Length / 1048576.0 : 0;

    private sealed record Options(int Trials, int Warmup, int RssTrials, int AskTell, int Streams, int Capacity)
    {
        public static Options Parse(ReadOnlySpan<string> args)
        {
            int trials = 200_000, rss = 1_000_000, askTell = 5_000, streams = 4, capacity = 256;
            int? warmup = null;
            for (int i = 0; i < args.Length; i++)
            {
                int Next(ReadOnlySpan<string> a) => i + 1 < a.Length ? int.Parse(a[++i], Inv) : throw new ArgumentException($"{a[i]} needs a value");
                switch (args[i])
                {
                    case "--trials": trials = Next(args); break;
                    case "--warmup": warmup = Next(args); break;
                    case "--rss-trials": rss = Next(args); break;
                    case "--asktell": askTell = Next(args); break;
                    case "--streams": streams = Next(args); break;
                    case "--capacity": capacity = Next(args); break;
                    default: throw new ArgumentException($"unknown option {args[i]}");
                }
            }

            return new Options(trials, warmup ?? Math.Max(1_000, trials / 10), rss, askTell, streams, capacity);
        }
    }
}
