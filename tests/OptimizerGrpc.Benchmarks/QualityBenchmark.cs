using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Methods.Bayesian;
using OptimizerGrpc.Core.Methods.Genetic;
using OptimizerGrpc.Core.Methods.Swarm;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Benchmarks;

/// <summary>
/// Optimisation quality: the best value each search method finds within small budgets, in process, sequential
/// Ask(1)/Tell, over many seeds, on five standard test functions and one real backtest objective, beside Optuna's
/// TPE (run by <c>optuna_baseline.py</c> with /usr/bin/python3 when python3-optuna is installed). Prints one table
/// of median [Q1, Q3] per problem x method x budget and, last,
/// <c>RESULT wins_vs_tpe=k/5 best_method=... real_objective_vs_random=...</c>.
/// Usage: <c>quality [--seeds N] [--bayes-seeds N] [--budgets 50,100,200] [--no-optuna]</c>.
/// </summary>
internal static class QualityBenchmark
{
    private const string SampleFile = "nyse_composite_daily_1966_2002.csv";
    private const string RealName = "ma_rsi_sharpe";
    internal const string Python = "/usr/bin/python3";

    // When --bayes-seeds is not given, Bayesian gets as many seeds as fit in this projected time.
    private static readonly TimeSpan BayesianTimeBudget = TimeSpan.FromMinutes(10);
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    internal sealed record Problem(string Name, string Domain, SearchSpace Space, Func<ParamValue[], double> Value, bool Minimize, string Optimum);

    private sealed record MethodEntry(string Name, MethodSettings Settings, string Description);

    public static int Run(string[] args)
    {
        int seeds = 20;
        int? bayesSeeds = null;
        int[] budgets = [50, 100, 200];
        var useOptuna = true;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "quality":
                    break;
                case "--seeds" when i + 1 < args.Length:
                    seeds = int.Parse(args[++i], Inv);
                    break;
                case "--bayes-seeds" when i + 1 < args.Length:
                    bayesSeeds = int.Parse(args[++i], Inv);
                    break;
                case "--budgets" when i + 1 < args.Length:
                    budgets = args[++i].Split(',').Select(b => int.Parse(b, Inv)).Order().ToArray();
                    break;
                case "--no-optuna":
                    useOptuna = false;
                    break;
                default:
                    Console.Error.WriteLine("usage: OptimizerGrpc.Benchmarks quality [--seeds N] [--bayes-seeds N] [--budgets 50,100,200] [--no-optuna]");
                    return 2;
            }
        }

        var root = FindRoot();
        if (root is null)
        {
            Console.Error.WriteLine($"samples/data/{SampleFile} not found above {Directory.GetCurrentDirectory()}");
            return 1;
        }

        var csv = Path.Combine(root, "samples", "data", SampleFile);
        var script = Path.Combine(root, "tests", "OptimizerGrpc.Benchmarks", "optuna_baseline.py");
        var real = new MaRsiObjective(csv);
        var problems = Problems(real);
        var methods = Methods();
        var maxBudget = budgets[^1];
        var total = Stopwatch.StartNew();

        Console.WriteLine($"quality benchmark: in-process, sequential Ask(1)/Tell, seeds 0..{seeds - 1}, budgets {string.Join(",", budgets)}, " +
                          $"{Environment.ProcessorCount} cores");
        Console.WriteLine("problems (synthetic ones minimised: the methods maximise the negated value; figures are the function value):");
        foreach (var p in problems)
        {
            Console.WriteLine($"  {p.Name,-14} {p.Domain}; optimum {p.Optimum}");
        }

        Console.WriteLine($"  {RealName} rule: long on bar t when (SMA(fast) > SMA(slow) and RSI(period) < overbought) or RSI(period) < oversold, else flat;");
        Console.WriteLine($"                 SMA as MovingAverageCrossoverRule, Wilder RSI as RelativeStrengthIndex, Backtester commission {MaRsiObjective.Commission.ToString(Inv)}");
        Console.WriteLine($"                 per unit of position change, PerformanceStats.SharpeRatio(equity, 252); {real.Bars} bars of {SampleFile}");
        Console.WriteLine("methods:");
        foreach (var m in methods)
        {
            Console.WriteLine($"  {m.Name,-14} {m.Description}");
        }

        Console.WriteLine();

        // The Optuna baseline runs in its own process while the C# methods run here.
        OptunaPeer.OptunaRun? optuna = null;
        if (!useOptuna)
        {
            Console.WriteLine("optuna baseline skipped: --no-optuna");
        }
        else if (!File.Exists(Python))
        {
            Console.WriteLine($"optuna baseline skipped: {Python} not found (install python3-optuna)");
        }
        else
        {
            optuna = OptunaPeer.CheckAndStartOptuna(script, csv, real, seeds, budgets);
        }

        // Bayesian seeds: measure one full run and project, unless given.
        var bayesian = methods.Single(m => m.Name == "bayesian");
        var probe = Stopwatch.StartNew();
        var probeBest = RunOne(bayesian.Settings, problems[1], 0, budgets);
        probe.Stop();
        var projectedPerSeed = probe.Elapsed * problems.Count;
        if (bayesSeeds is null)
        {
            var fit = (int)Math.Floor(BayesianTimeBudget / projectedPerSeed);
            bayesSeeds = Math.Clamp(fit, Math.Min(5, seeds), seeds);
        }

        bayesSeeds = Math.Min(bayesSeeds.Value, seeds);
        Console.WriteLine($"{LoadAverage()} at the probe");
        Console.WriteLine($"bayesian probe: {maxBudget} evaluations on {problems[1].Name} took {probe.Elapsed.TotalSeconds:F1} s " +
                          $"(best {Format(probeBest[^1])}); projected {(projectedPerSeed * seeds).TotalMinutes:F1} min for {seeds} seeds x {problems.Count} problems");
        Console.WriteLine(bayesSeeds < seeds
            ? $"bayesian uses seeds 0..{bayesSeeds - 1} only ({bayesSeeds} of {seeds}) to keep the suite bounded"
            : $"bayesian uses all {seeds} seeds");
        Console.WriteLine();

        // results[problem][method] = best per seed per budget, in the problem's own orientation.
        var results = new Dictionary<string, Dictionary<string, double[][]>>();
        var seconds = new Dictionary<(string, string), double>();
        foreach (var problem in problems)
        {
            results[problem.Name] = [];
            foreach (var method in methods)
            {
                var n = method.Name == "bayesian" ? bayesSeeds.Value : seeds;
                var watch = Stopwatch.StartNew();
                var runs = new double[n][];
                var reuseProbe = method == bayesian && problem == problems[1];
                for (var s = 0; s < n; s++)
                {
                    runs[s] = reuseProbe && s == 0 ? probeBest : RunOne(method.Settings, problem, (ulong)s, budgets);
                }

                seconds[(problem.Name, method.Name)] = watch.Elapsed.TotalSeconds + (reuseProbe ? probe.Elapsed.TotalSeconds : 0);
                results[problem.Name][method.Name] = runs;
                Console.Error.WriteLine($"  [{total.Elapsed.TotalSeconds,6:F0} s] {problem.Name} {method.Name}: {watch.Elapsed.TotalSeconds:F1} s");
            }
        }

        Dictionary<string, double[][]>? tpe = null;
        string tpeNote = "";
        if (optuna is not null)
        {
            (tpe, tpeNote) = optuna.Collect();
            Console.WriteLine(tpeNote);
            if (tpe is not null)
            {
                foreach (var (name, runs) in tpe)
                {
                    results[name]["tpe (optuna)"] = runs;
                }
            }
        }

        Console.WriteLine();
        PrintTable(problems, methods, results, seconds, budgets);

        // Summary at the middle budget (100 by default).
        var at = Array.IndexOf(budgets, 100) >= 0 ? Array.IndexOf(budgets, 100) : budgets.Length / 2;
        var budgetAt = budgets[at];
        double Median(string problem, string method) => Stats(results[problem][method].Select(r => r[at]).ToArray()).Median;

        Console.WriteLine();
        Console.WriteLine($"at {budgetAt} evaluations (median):");
        var wins = 0;
        var synthetic = problems.Where(p => p.Name != RealName).ToList();
        foreach (var p in synthetic)
        {
            var best = methods.Select(m => (m.Name, Value: Median(p.Name, m.Name))).MinBy(x => x.Value);
            if (tpe is null)
            {
                Console.WriteLine($"  {p.Name,-14} our best {best.Name} {Format(best.Value)}; no TPE");
                continue;
            }

            var tpeMedian = Median(p.Name, "tpe (optuna)");
            var win = best.Value <= tpeMedian;
            wins += win ? 1 : 0;
            Console.WriteLine($"  {p.Name,-14} our best {best.Name} {Format(best.Value)} vs TPE {Format(tpeMedian)}: {(win ? "win" : "loss")}");
        }

        // Best method: lowest mean rank of the median at this budget over all six problems (ties share the rank).
        var meanRank = methods.ToDictionary(m => m.Name, _ => 0.0);
        foreach (var p in problems)
        {
            var medians = methods.Select(m => (m.Name, Value: p.Minimize ? Median(p.Name, m.Name) : -Median(p.Name, m.Name))).ToList();
            foreach (var (name, value) in medians)
            {
                var below = medians.Count(x => x.Value < value);
                var equal = medians.Count(x => x.Value == value);
                meanRank[name] += (below + ((equal + 1) / 2.0)) / problems.Count;
            }
        }

        var bestMethod = meanRank.MinBy(kv => kv.Value).Key;
        Console.WriteLine($"  mean rank over {problems.Count} problems (1 = best): " +
                          string.Join(", ", meanRank.OrderBy(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value.ToString("F2", Inv)}")));

        var randomMedian = Median(RealName, "random");
        var vsRandom = methods.Where(m => m.Name != "random")
            .Select(m => $"{m.Name}:{(Median(RealName, m.Name) - randomMedian).ToString("+0.0000;-0.0000;0.0000", Inv)}").ToList();
        if (tpe is not null)
        {
            vsRandom.Add($"tpe:{(Median(RealName, "tpe (optuna)") - randomMedian).ToString("+0.0000;-0.0000;0.0000", Inv)}");
        }

        Console.WriteLine($"  {RealName}: median Sharpe of random search {randomMedian.ToString("F4", Inv)}; others minus random: {string.Join(" ", vsRandom)}");
        Console.WriteLine($"total time {total.Elapsed.TotalMinutes:F1} min; {LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine($"RESULT wins_vs_tpe={(tpe is null ? "na" : $"{wins}/{synthetic.Count}")} best_method={bestMethod} " +
                          $"real_objective_vs_random={string.Join(",", vsRandom)}");
        return 0;
    }

    /// <summary>One sequential run; the best value (in the problem's orientation) after each budget.</summary>
    private static double[] RunOne(MethodSettings settings, Problem problem, ulong seed, int[] budgets)
    {
        var method = SearchMethods.Create(settings, problem.Space, null, seed);
        var output = new List<ParamValue[]>(1);
        var best = problem.Minimize ? double.PositiveInfinity : double.NegativeInfinity;
        var at = new double[budgets.Length];
        var next = 0;
        for (var k = 1; k <= budgets[^1]; k++)
        {
            output.Clear();
            if (method.Ask(1, output) == 0)
            {
                throw new InvalidOperationException($"{settings.GetType().Name} stopped proposing after {k - 1} evaluations on {problem.Name}");
            }

            var value = problem.Value(output[0]);
            best = problem.Minimize ? Math.Min(best, value) : Math.Max(best, value);
            method.Tell(new Observation(output[0], [problem.Minimize ? -value : value], ObservationKind.Completed));
            if (k == budgets[next])
            {
                at[next++] = best;
            }
        }

        return at;
    }

    private static List<MethodEntry> Methods() =>
    [
        new("random", new RandomSettings(), "uniform random search"),
        new("genetic", new GeneticSettings(PopulationSize: 16, Generations: 1000, MutationRate: 0.2, CrossoverRate: 0.7, EliteCount: 2, TournamentSize: 3),
            "population 16, elite 2, tournament 3, crossover 0.7, mutation 0.2 per gene (16 + 14 per generation)"),
        new("particle_swarm", new ParticleSwarmSettings(SwarmSize: 10, Iterations: 1000),
            "swarm 10, w 0.7298, c1 = c2 = 1.49618, max velocity 0.2 of the range"),
        new("bayesian", new BayesianSettings(InitialTrials: 10),
            "GP Matern 5/2 ARD, log EI, n_initial 10 (Latin hypercube), refit every 5"),
    ];

    internal static List<Problem> Problems(MaRsiObjective real)
    {
        static SearchSpace Box(params (double Low, double High)[] bounds) =>
            new(bounds.Select((b, i) => new SearchParameter($"x{i}", new FloatDomain(b.Low, b.High, null, false))).ToList());

        static double[] X(ParamValue[] p)
        {
            var x = new double[p.Length];
            for (var i = 0; i < p.Length; i++)
            {
                x[i] = p[i].AsFloat;
            }

            return x;
        }

        var realSpace = new SearchSpace(
        [
            new SearchParameter("fast", new IntDomain(2, 50, 1)),
            new SearchParameter("slow", new IntDomain(60, 300, 1)),
            new SearchParameter("period", new IntDomain(2, 30, 1)),
            new SearchParameter("oversold", new FloatDomain(10, 45, null, false)),
            new SearchParameter("overbought", new FloatDomain(55, 90, null, false)),
        ]);

        return
        [
            new("branin", "x1 in [-5,10], x2 in [0,15]", Box((-5, 10), (0, 15)), p => TestFunctions.Branin(X(p)), true, "0.397887"),
            new("hartmann6", "[0,1]^6", Box(Enumerable.Repeat((0.0, 1.0), 6).ToArray()), p => TestFunctions.Hartmann6(X(p)), true, "-3.32237"),
            new("rosenbrock5", "[-2.048,2.048]^5", Box(Enumerable.Repeat((-2.048, 2.048), 5).ToArray()), p => TestFunctions.Rosenbrock(X(p)), true, "0"),
            new("rastrigin5", "[-5.12,5.12]^5", Box(Enumerable.Repeat((-5.12, 5.12), 5).ToArray()), p => TestFunctions.Rastrigin(X(p)), true, "0"),
            new("ackley5", "[-32.768,32.768]^5", Box(Enumerable.Repeat((-32.768, 32.768), 5).ToArray()), p => TestFunctions.Ackley(X(p)), true, "0"),
            new(RealName, "fast int [2,50], slow int [60,300], period int [2,30], oversold [10,45], overbought [55,90]; maximised",
                realSpace, p => real.Sharpe((int)p[0].AsInt, (int)p[1].AsInt, (int)p[2].AsInt, p[3].AsFloat, p[4].AsFloat), false, "unknown"),
        ];
    }

    private static void PrintTable(List<Problem> problems, List<MethodEntry> methods, Dictionary<string, Dictionary<string, double[][]>> results,
        Dictionary<(string, string), double> seconds, int[] budgets)
    {
        Console.WriteLine("best value found: median [Q1, Q3] over seeds (synthetic: lower is better; ma_rsi_sharpe: higher is better)");
        var header = $"{"problem",-14} {"method",-15} {"seeds",5}";
        foreach (var b in budgets)
        {
            header += $" {"@" + b.ToString(Inv),-30}";
        }

        Console.WriteLine(header + $" {"time s",7}");
        foreach (var p in problems)
        {
            foreach (var name in methods.Select(m => m.Name).Append("tpe (optuna)"))
            {
                if (!results[p.Name].TryGetValue(name, out var runs))
                {
                    continue;
                }

                var line = $"{p.Name,-14} {name,-15} {runs.Length,5}";
                for (var j = 0; j < budgets.Length; j++)
                {
                    var s = Stats(runs.Select(r => r[j]).ToArray());
                    line += $" {$"{Format(s.Median)} [{Format(s.Q1)}, {Format(s.Q3)}]",-30}";
                }

                var time = seconds.TryGetValue((p.Name, name), out var t) ? t.ToString("F1", Inv) : "-";
                Console.WriteLine(line + $" {time,7}");
            }
        }
    }

    internal static (double Median, double Q1, double Q3) Stats(double[] values)
    {
        var sorted = values.Order().ToArray();
        return (Quantile(sorted, 0.5), Quantile(sorted, 0.25), Quantile(sorted, 0.75));
    }

    /// <summary>Linear interpolation between order statistics (numpy's default, Hyndman-Fan type 7).</summary>
    internal static double Quantile(double[] sorted, double q)
    {
        var pos = q * (sorted.Length - 1);
        var lo = (int)Math.Floor(pos);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((pos - lo) * (sorted[hi] - sorted[lo]));
    }

    internal static string Format(double v) => Math.Abs(v) switch
    {
        >= 1000 => v.ToString("F0", Inv),
        >= 10 => v.ToString("F2", Inv),
        _ => v.ToString("F4", Inv),
    };

    /// <summary>The machine's load averages, so that times measured on shared cores can be read for what they are.</summary>
    internal static string LoadAverage()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"load average {fields[0]} {fields[1]} {fields[2]} on {Environment.ProcessorCount} cores";
        }
        catch (IOException)
        {
            return "load average unknown";
        }
    }

    internal static string? FindRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "samples", "data", SampleFile)))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
