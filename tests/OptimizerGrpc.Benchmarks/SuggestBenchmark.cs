using OptimizerGrpc.Core.Methods.Bayesian;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Methods.Genetic;
using OptimizerGrpc.Core.Methods.Swarm;
using OptimizerGrpc.Core.Methods.Tpe;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Benchmarks;

/// <summary>
/// Cost of a suggestion, in process, 8 float parameters in [0, 1]: Bayesian Ask latency (p50, p90) with 100, 500 and
/// 1000 observed trials; genetic and particle-swarm Ask cost per trial in batches of 100; and, when python3-optuna
/// is installed, Optuna TPE's ask per trial over its first 1,000 trials for scale. Last line
/// <c>RESULT bayes_p50_ms_100=... bayes_p50_ms_500=... bayes_p50_ms_1000=... tpe_p50_ms_500=... optuna_tpe_p50_ms_401_500=...
/// bayes_over_optuna_tpe_p50_500=... ga_ask_us=... pso_ask_us=...</c> (our TPE is timed like the Bayesian method).
/// Usage: <c>suggest [--asks N] [--trials N] [--no-optuna]</c>.
/// </summary>
internal static class SuggestBenchmark
{
    private const int Dims = 8;
    private const int Batch = 100;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(string[] args)
    {
        int asks = 20, trials = 50_000;
        var useOptuna = true;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "suggest":
                    break;
                case "--asks" when i + 1 < args.Length:
                    asks = int.Parse(args[++i], Inv);
                    break;
                case "--trials" when i + 1 < args.Length:
                    trials = int.Parse(args[++i], Inv);
                    break;
                case "--no-optuna":
                    useOptuna = false;
                    break;
                default:
                    Console.Error.WriteLine("usage: OptimizerGrpc.Benchmarks suggest [--asks N] [--trials N] [--no-optuna]");
                    return 2;
            }
        }

        var space = new SearchSpace(Enumerable.Range(0, Dims).Select(i => new SearchParameter($"x{i}", new FloatDomain(0, 1, null, false))).ToList());
        var bayes = new BayesianSettings();
        Console.WriteLine($"suggest benchmark: in process, {Dims} float parameters in [0,1], score -sum((x - 0.3)^2), one thread; {QualityBenchmark.LoadAverage()}");
        Console.WriteLine($"bayesian: {bayes} (GP training set capped at {bayes.MaxTrainingPoints} points; hyperparameters refitted on <= 150 points every {bayes.RefitEvery} tells)");
        Console.WriteLine($"  observations are told random points; then the design is used up and 2 model asks warm up; then {asks} single Ask(1) are timed,");
        Console.WriteLine("  each told before the next (so a refit falls in every 5th ask: p50 is a plain ask, p90 shows the refits)");
        Console.WriteLine();
        Console.WriteLine($"{"observed",10} {"p50 ms",9} {"p90 ms",9} {"mean ms",9} {"max ms",9}");
        var p50 = new Dictionary<int, double>();
        foreach (var observed in new[] { 100, 500, 1000 })
        {
            var ms = TimeAsks(space, bayes, bayes.InitialTrials, observed, asks);
            var sorted = ms.Order().ToArray();
            p50[observed] = QualityBenchmark.Quantile(sorted, 0.5);
            Console.WriteLine($"{observed,10} {p50[observed],9:F2} {QualityBenchmark.Quantile(sorted, 0.9),9:F2} {ms.Average(),9:F2} {sorted[^1],9:F2}");
        }

        Console.WriteLine();
        var tpe = new TpeSettings();
        Console.WriteLine($"tpe (ours): {tpe}, the same protocol (its start-up trials in place of the design)");
        Console.WriteLine($"{"observed",10} {"p50 ms",9} {"p90 ms",9} {"mean ms",9} {"max ms",9}");
        var tpeP50 = new Dictionary<int, double>();
        foreach (var observed in new[] { 100, 500, 1000 })
        {
            var ms = TimeAsks(space, tpe, tpe.StartupTrials, observed, asks);
            var sorted = ms.Order().ToArray();
            tpeP50[observed] = QualityBenchmark.Quantile(sorted, 0.5);
            Console.WriteLine($"{observed,10} {tpeP50[observed],9:F2} {QualityBenchmark.Quantile(sorted, 0.9),9:F2} {ms.Average(),9:F2} {sorted[^1],9:F2}");
        }

        Console.WriteLine();
        var ga = new GeneticSettings(PopulationSize: Batch, Generations: GeneticSettings.MaxGenerations);
        var pso = new ParticleSwarmSettings(SwarmSize: Batch, Iterations: ParticleSwarmSettings.MaxIterations);
        Console.WriteLine($"population methods: Ask({Batch}) then Tell of each, {trials} trials, after one untimed run of {trials / 10}; median of 3 runs");
        Console.WriteLine($"  genetic: {ga}");
        Console.WriteLine($"  swarm:   {pso}");
        Console.WriteLine($"{"method",-16} {"ask µs/trial",13} {"tell µs/trial",14}");
        var (gaAsk, gaTell) = TimePopulation(space, ga, trials);
        Console.WriteLine($"{"genetic",-16} {gaAsk,13:F2} {gaTell,14:F2}");
        var (psoAsk, psoTell) = TimePopulation(space, pso, trials);
        Console.WriteLine($"{"particle_swarm",-16} {psoAsk,13:F2} {psoTell,14:F2}");
        var (rndAsk, rndTell) = TimePopulation(space, new RandomSettings(), trials);
        Console.WriteLine($"{"random",-16} {rndAsk,13:F2} {rndTell,14:F2}");

        Console.WriteLine();
        double? optunaP50 = null;
        if (useOptuna)
        {
            optunaP50 = TimeOptuna();
        }
        else
        {
            Console.WriteLine("optuna timing skipped: --no-optuna");
        }

        Console.WriteLine();
        Console.WriteLine(QualityBenchmark.LoadAverage());
        Console.WriteLine(string.Create(Inv,
            $"RESULT bayes_p50_ms_100={p50[100]:F2} bayes_p50_ms_500={p50[500]:F2} bayes_p50_ms_1000={p50[1000]:F2} tpe_p50_ms_500={tpeP50[500]:F2} " +
            $"optuna_tpe_p50_ms_401_500={(optunaP50 is { } o ? o.ToString("F2", Inv) : "na")} " +
            $"bayes_over_optuna_tpe_p50_500={(optunaP50 is { } r ? (p50[500] / r).ToString("F2", Inv) : "na")} ga_ask_us={gaAsk:F2} pso_ask_us={psoAsk:F2}"));
        return 0;
    }

    private static double Score(ParamValue[] p)
    {
        var s = 0.0;
        foreach (var v in p)
        {
            var d = v.AsFloat - 0.3;
            s -= d * d;
        }

        return s;
    }

    /// <summary>Milliseconds of each timed Ask(1) once <paramref name="observed"/> trials are in.</summary>
    private static double[] TimeAsks(SearchSpace space, MethodSettings settings, int initialTrials, int observed, int asks)
    {
        const int WarmModelAsks = 2;
        var method = SearchMethods.Create(settings, space, null, 7);
        var rng = new Random(11);
        var output = new List<ParamValue[]>(1);

        void AskTell()
        {
            output.Clear();
            if (method.Ask(1, output) != 1)
            {
                throw new InvalidOperationException($"{settings.GetType().Name} proposed nothing");
            }

            method.Tell(new Observation(output[0], [Score(output[0])], ObservationKind.Completed));
        }

        // Told random points, then the design points and a few model asks, so the timed asks start at `observed`.
        for (var i = 0; i < observed - initialTrials - WarmModelAsks; i++)
        {
            var p = new ParamValue[Dims];
            for (var d = 0; d < Dims; d++)
            {
                p[d] = ParamValue.Float(rng.NextDouble());
            }

            method.Tell(new Observation(p, [Score(p)], ObservationKind.Completed));
        }

        for (var i = 0; i < initialTrials + WarmModelAsks; i++)
        {
            AskTell();
        }

        var ms = new double[asks];
        for (var i = 0; i < asks; i++)
        {
            output.Clear();
            var start = Stopwatch.GetTimestamp();
            method.Ask(1, output);
            ms[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            method.Tell(new Observation(output[0], [Score(output[0])], ObservationKind.Completed));
        }

        return ms;
    }

    /// <summary>Microseconds per trial of Ask and of Tell, median of 3 runs after a warm-up.</summary>
    private static (double Ask, double Tell) TimePopulation(SearchSpace space, MethodSettings settings, int trials)
    {
        (double, double) Once(int count, ulong seed)
        {
            var method = SearchMethods.Create(settings, space, null, seed);
            var output = new List<ParamValue[]>(Batch);
            long askTicks = 0, tellTicks = 0;
            var done = 0;
            while (done < trials)
            {
                output.Clear();
                var start = Stopwatch.GetTimestamp();
                var got = method.Ask(Batch, output);
                var mid = Stopwatch.GetTimestamp();
                if (got == 0)
                {
                    throw new InvalidOperationException($"{settings.GetType().Name} proposed nothing after {done} trials");
                }

                foreach (var p in output)
                {
                    method.Tell(new Observation(p, [Score(p)], ObservationKind.Completed));
                }

                tellTicks += Stopwatch.GetTimestamp() - mid;
                askTicks += mid - start;
                done += got;
                if (done >= count)
                {
                    break;
                }
            }

            return (askTicks * 1e6 / Stopwatch.Frequency / done, tellTicks * 1e6 / Stopwatch.Frequency / done);
        }

        _ = Once(trials / 10, 1);
        var runs = Enumerable.Range(0, 3).Select(r => Once(trials, (ulong)(r + 2))).ToArray();
        return (runs.Select(r => r.Item1).Order().ElementAt(1), runs.Select(r => r.Item2).Order().ElementAt(1));
    }

    /// <summary>Prints Optuna's ask times and returns its p50 over trials 401-500 (null when it could not run).</summary>
    private static double? TimeOptuna()
    {
        var root = QualityBenchmark.FindRoot();
        if (root is null || !File.Exists("/usr/bin/python3"))
        {
            Console.WriteLine("optuna timing skipped: install python3-optuna (no /usr/bin/python3 or repository root)");
            return null;
        }

        var script = Path.Combine(root, "tests", "OptimizerGrpc.Benchmarks", "optuna_baseline.py");
        var (code, stdout, stderr) = OptunaPeer.RunPython(script, ["--suggest-trials", "1000", "--dims", Dims.ToString(Inv)]);
        if (code == 3 || stdout.Contains("optuna not installed", StringComparison.Ordinal))
        {
            Console.WriteLine("optuna timing skipped: install python3-optuna");
            return null;
        }

        if (code != 0)
        {
            Console.WriteLine($"optuna timing failed ({code}): {stderr.Trim()}");
            return null;
        }

        using var doc = JsonDocument.Parse(stdout);
        var ms = doc.RootElement.GetProperty("seconds_per_trial").EnumerateArray().Select(e => e.GetDouble() * 1000).ToArray();
        Console.WriteLine($"optuna {doc.RootElement.GetProperty("optuna_version").GetString()} TPESampler(seed=0), {Dims} suggest_float, study.ask() + suggests " +
                          $"per trial over its first {ms.Length} trials (in-memory storage, tell not timed):");
        Console.WriteLine($"{"trials",12} {"p50 ms",9} {"mean ms",9}");
        foreach (var (from, to) in new[] { (1, 100), (401, 500), (901, 1000), (1, 1000) })
        {
            var window = ms[(from - 1)..Math.Min(to, ms.Length)];
            Console.WriteLine($"{$"{from}-{to}",12} {QualityBenchmark.Quantile(window.Order().ToArray(), 0.5),9:F2} {window.Average(),9:F2}");
        }

        return ms.Length >= 500 ? QualityBenchmark.Quantile(ms[400..500].Order().ToArray(), 0.5) : null;
    }
}
