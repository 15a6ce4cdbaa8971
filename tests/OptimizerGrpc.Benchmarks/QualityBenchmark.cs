using System.Diagnostics;
using System.Globalization;
using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Methods.Auto;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Benchmarks;

/// <summary>
/// Optimisation quality: the best value each search method finds within small budgets, in process, sequential
/// Ask(1)/Tell, over many seeds, on five synthetic test functions and three real trading objectives
/// (<see cref="QualityProblems"/>), beside Optuna's TPE (run by <c>optuna_baseline.py</c> with /usr/bin/python3 when
/// python3-optuna is installed, in its own process at the same time). Prints one table of median [Q1, Q3] per problem x
/// method x budget, per method the problems where its median is at least TPE's at 100 and 200 evaluations (synthetic and
/// real apart, <see cref="QualityReport"/>), auto against the best of the other methods run on each real objective and,
/// last,
/// <c>RESULT wins_vs_tpe=k/5 real_wins_vs_tpe_100=a/3 real_wins_vs_tpe_200=b/3 auto_real_wins_vs_tpe_200=b/3 ...
/// auto_real_at_least_best_single_100=c/3 auto_real_at_least_best_single_200=d/3</c>.
/// Usage: <c>quality [--seeds N] [--first-seed K] [--budgets 50,100,200] [--problems a,b] [--methods a,b] [--jobs N] [--optuna-cache FILE] [--runs-out FILE] [--no-optuna]</c>; the
/// reported figures use the defaults (20 seeds, every problem and method); <c>--seeds 5</c> is the quick look.
/// </summary>
internal static class QualityBenchmark
{
    private const string SampleFile = "nyse_composite_daily_1966_2002.csv";
    internal const string Python = "/usr/bin/python3";
    internal const string Tpe = "tpe (optuna)";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(string[] args)
    {
        int seeds = 20;
        int firstSeed = 0;
        int[] budgets = [50, 100, 200];
        var useOptuna = true;
        int jobs = 1;
        string? optunaCache = null, runsOut = null;
        string[]? onlyProblems = null, onlyMethods = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "quality":
                    break;
                case "--seeds" when i + 1 < args.Length:
                    seeds = int.Parse(args[++i], Inv);
                    break;
                case "--first-seed" when i + 1 < args.Length:
                    firstSeed = int.Parse(args[++i], Inv);
                    break;
                case "--budgets" when i + 1 < args.Length:
                    budgets = args[++i].Split(',').Select(b => int.Parse(b, Inv)).Order().ToArray();
                    break;
                case "--problems" when i + 1 < args.Length:
                    onlyProblems = args[++i].Split(',');
                    break;
                case "--methods" when i + 1 < args.Length:
                    onlyMethods = args[++i].Split(',');
                    break;
                case "--optuna-cache" when i + 1 < args.Length:
                    optunaCache = args[++i];
                    break;
                case "--runs-out" when i + 1 < args.Length:
                    runsOut = args[++i];
                    break;
                case "--jobs" when i + 1 < args.Length:
                    jobs = Math.Max(1, int.Parse(args[++i], Inv));
                    break;
                case "--no-optuna":
                    useOptuna = false;
                    break;
                default:
                    Console.Error.WriteLine("usage: OptimizerGrpc.Benchmarks quality [--seeds N] [--first-seed K] [--budgets 50,100,200] [--problems a,b] [--methods a,b] [--jobs N] [--optuna-cache FILE] [--runs-out FILE] [--no-optuna]");
                    return 2;
            }
        }

        var root = FindRoot();
        if (root is null)
        {
            Console.Error.WriteLine($"samples/data/{SampleFile} not found above {Directory.GetCurrentDirectory()}");
            return 1;
        }

        var dataDir = Path.Combine(root, "samples", "data");
        var script = Path.Combine(root, "tests", "OptimizerGrpc.Benchmarks", "optuna_baseline.py");
        var problems = QualityProblems.All(dataDir).Where(p => onlyProblems is null || onlyProblems.Contains(p.Name)).ToList();
        var methods = QualityMethods.All().Where(m => onlyMethods is null || onlyMethods.Contains(m.Name)).ToList();
        var total = Stopwatch.StartNew();

        Console.WriteLine($"quality benchmark: in-process, sequential Ask(1)/Tell, seeds {firstSeed}..{firstSeed + seeds - 1}, budgets {string.Join(",", budgets)}, " +
                          $"{Environment.ProcessorCount} cores");
        Console.WriteLine("problems (synthetic ones minimised: the methods maximise the negated value; figures are the function value; real ones are Sharpe ratios, maximised):");
        foreach (var p in problems)
        {
            Console.WriteLine($"  {p.Name,-17} {p.Domain}; optimum {p.Optimum}");
            if (p.IsReal)
            {
                Console.WriteLine($"  {"",-17} {p.Description}");
            }
        }

        Console.WriteLine("  real rules are backtested by the toolkit's Backtester (commission per unit of position change) and scored by PerformanceStats.SharpeRatio");
        Console.WriteLine("methods:");
        foreach (var m in methods)
        {
            Console.WriteLine($"  {m.Name,-17} {m.Description}");
        }

        Console.WriteLine();

        OptunaPeer.OptunaRun? optuna = null;
        Dictionary<string, double[][]>? cachedTpe = null;
        if (!useOptuna)
        {
            Console.WriteLine("optuna baseline skipped: --no-optuna");
        }
        else if (!File.Exists(Python))
        {
            Console.WriteLine($"optuna baseline skipped: {Python} not found (install python3-optuna)");
        }
        else if (optunaCache is not null && OptunaPeer.LoadCache(optunaCache, problems, firstSeed, seeds, budgets) is { } cached)
        {
            // Still check the objectives, then take the figures of the earlier, identical Optuna runs.
            OptunaPeer.CheckAndStartOptuna(script, dataDir, problems, firstSeed, seeds, budgets, jobs, checkOnly: true);
            cachedTpe = cached;
            Console.WriteLine($"optuna figures from {optunaCache}: an earlier run of optuna_baseline.py with the same seeds, budgets and problems " +
                              "(TPESampler(seed=s) is deterministic given them)");
        }
        else
        {
            optuna = OptunaPeer.CheckAndStartOptuna(script, dataDir, problems, firstSeed, seeds, budgets, jobs);
        }

        Console.WriteLine($"{LoadAverage()} at the start");

        // results[problem][method] = best per seed per budget, in the problem's own orientation. With --jobs N, N problems
        // run at once (an objective is used by one thread at a time; every run is sequential and seeded, so the figures
        // do not depend on N, only the times do).
        var results = problems.ToDictionary(p => p.Name, _ => new Dictionary<string, double[][]>());
        var seconds = new System.Collections.Concurrent.ConcurrentDictionary<(string, string), double>();
        var reused = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.ForEach(problems, new ParallelOptions { MaxDegreeOfParallelism = jobs }, problem =>
        {
            var mine = results[problem.Name];
            foreach (var method in methods)
            {
                // Auto runs the method it chooses with that method's default settings and the same seed, so its
                // trajectories are that method's when the suite runs it too (AutoSearchTests checks the identity).
                if (method.Settings is AutoSettings
                    && methods.FirstOrDefault(m => m.Settings == AutoChoice.Settings(AutoChoice.Choose(problem.Space, budgets[^1]))) is { } same
                    && mine.TryGetValue(same.Name, out var sameRuns))
                {
                    mine[method.Name] = sameRuns;
                    seconds[(problem.Name, method.Name)] = seconds[(problem.Name, same.Name)];
                    reused.Add($"{problem.Name}: auto chooses {same.Name}");
                    continue;
                }

                var watch = Stopwatch.StartNew();
                var runs = new double[seeds][];
                for (var s = 0; s < seeds; s++)
                {
                    runs[s] = RunOne(method.Settings is AutoSettings a ? a with { Budget = budgets[^1] } : method.Settings, problem, (ulong)(firstSeed + s), budgets);
                }

                seconds[(problem.Name, method.Name)] = watch.Elapsed.TotalSeconds;
                mine[method.Name] = runs;
                Console.Error.WriteLine($"  [{total.Elapsed.TotalSeconds,6:F0} s] {problem.Name} {method.Name}: {watch.Elapsed.TotalSeconds:F1} s; medians " +
                                        string.Join(" ", budgets.Select((b, j) => $"@{b} {Format(Stats(runs.Select(r => r[j]).ToArray()).Median)}")));
            }
        });

        var tpe = cachedTpe;
        if (optuna is not null)
        {
            (tpe, var tpeNote) = optuna.Collect();
            Console.WriteLine(tpeNote);
            if (tpe is not null && optunaCache is not null)
            {
                OptunaPeer.SaveCache(optunaCache, tpe, firstSeed, seeds, budgets);
            }
        }

        var haveTpe = tpe is not null;
        foreach (var problem in problems.Where(_ => haveTpe))
        {
            results[problem.Name][Tpe] = tpe![problem.Name];
        }

        if (runsOut is not null)
        {
            // Every seed's best per budget and each problem's orientation, for pool_runs.py and a look at a median's spread.
            var minimize = problems.ToDictionary(p => p.Name, p => p.Minimize);
            File.WriteAllText(runsOut, System.Text.Json.JsonSerializer.Serialize(new { first_seed = firstSeed, budgets, minimize, results }));
            Console.WriteLine($"per-seed results written to {runsOut}");
        }

        Console.WriteLine();
        Console.WriteLine($"auto's choice at budget {budgets[^1]} (its runs are the chosen method's: same settings, same seeds, same trajectories): " +
                          (reused.IsEmpty ? "none reused" : string.Join("; ", reused.Order())));
        var report = new QualityReport(problems, methods.Select(m => m.Name).ToList(), results, budgets);
        report.PrintTable(new Dictionary<(string, string), double>(seconds));
        Console.WriteLine();
        Console.WriteLine($"total time {total.Elapsed.TotalMinutes:F1} min; {LoadAverage()}");
        if (!haveTpe)
        {
            Console.WriteLine();
            Console.WriteLine("RESULT wins_vs_tpe=na real_wins_vs_tpe_100=na real_wins_vs_tpe_200=na auto_real_wins_vs_tpe_200=na");
            return 0;
        }

        Console.WriteLine();
        var result = report.PrintWins();
        Console.WriteLine();
        report.PrintBootstrap("auto");
        Console.WriteLine();
        var againstBest = report.PrintAgainstBestSingle("auto");
        Console.WriteLine();
        int real = problems.Count(p => p.IsReal);
        string Best(int budget) => againstBest is not null && againstBest.TryGetValue(budget, out int k) ? $"{k}/{real}" : "na";
        Console.WriteLine($"{result} auto_real_at_least_best_single_100={Best(100)} auto_real_at_least_best_single_200={Best(200)}");
        return 0;
    }

    /// <summary>One sequential run; the best value (in the problem's orientation) after each budget.</summary>
    private static double[] RunOne(MethodSettings settings, QualityProblems.Problem problem, ulong seed, int[] budgets)
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
