using System.Globalization;
using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Methods.Bayesian;
using OptimizerGrpc.Core.Methods.Genetic;
using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Trading;

namespace OptimizerGrpc.Benchmarks;

/// <summary>
/// Small-budget quality on a small discrete space, as a trader meets it: a 2-parameter moving-average crossover on the
/// NYSE composite (fast in {5, 10, 15, 20, 30, 40, 50}, slow in {60, 80, 100, 125, 150, 175, 200}: 49 points, every one
/// feasible), annualised Sharpe ratio with commission 0.0005, a budget of half the grid (24 evaluations). Each run
/// follows the server's rule for discrete stages: a proposal already evaluated is told its stored result and costs no
/// trial, and 256 repeats in a row end the stage. A run is a hit when its best is at least 95% of the grid's optimum.
/// Usage: <c>small-grid [--seeds N] [--budget N] [--data FILE]</c>.
/// </summary>
internal static class SmallGridBenchmark
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly long[] Fast = [5, 10, 15, 20, 30, 40, 50];
    private static readonly long[] Slow = [60, 80, 100, 125, 150, 175, 200];
    private const int MaxRepeatsInARow = 256;

    public static int Run(string[] args)
    {
        int seeds = 20, budget = 24;
        string? csv = null;
        for (int i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--seeds" when i + 1 < args.Length: seeds = int.Parse(args[++i], Inv); break;
                case "--budget" when i + 1 < args.Length: budget = int.Parse(args[++i], Inv); break;
                case "--data" when i + 1 < args.Length: csv = args[++i]; break;
                default:
                    Console.Error.WriteLine("usage: OptimizerGrpc.Benchmarks small-grid [--seeds N] [--budget N] [--data FILE]");
                    return 2;
            }
        }

        csv ??= FindNyse();
        var close = new CsvDataHandler().Load(csv).Close;
        var backtester = new Backtester(commission: 0.0005);
        var sharpe = new Dictionary<(long, long), double>();
        foreach (long f in Fast)
        {
            foreach (long s in Slow)
            {
                sharpe[(f, s)] = PerformanceStats.SharpeRatio(backtester.Run(close, new MovingAverageCrossoverRule((int)f, (int)s)).Equity, 252);
            }
        }

        double optimum = sharpe.Values.Max();
        int near = sharpe.Values.Count(v => v >= 0.95 * optimum);
        var space = new SearchSpace([
            new SearchParameter("fast", new ValueListDomain([.. Fast.Select(ParamValue.Int)])),
            new SearchParameter("slow", new ValueListDomain([.. Slow.Select(ParamValue.Int)])),
        ]);
        Console.WriteLine($"small-grid: MA crossover on {Path.GetFileName(csv)} ({close.Length} bars), 7 x 7 = 49 points, optimum Sharpe " +
                          $"{optimum.ToString("F4", Inv)}, {near} points within 95% of it; budget {budget} evaluations, seeds 0..{seeds - 1}");
        var methods = new (string Name, MethodSettings Settings)[]
        {
            ("genetic (defaults: 50 x 50)", new GeneticSettings()),
            ("genetic 10 x 10", new GeneticSettings(PopulationSize: 10, Generations: 10)),
            ("genetic 6 x 20", new GeneticSettings(PopulationSize: 6, Generations: 20)),
            ("bayesian (defaults)", new BayesianSettings()),
            ("random", new RandomSettings()),
        };
        Console.WriteLine($"{"method",-28} {"hits",6} {"median best / optimum",22} {"evaluations (mean)",19}");
        var result = new List<string>();
        foreach (var (name, settings) in methods)
        {
            var ratios = new double[seeds];
            int hits = 0;
            double evaluations = 0;
            for (int seed = 0; seed < seeds; seed++)
            {
                var (best, used) = RunOne(settings, space, sharpe, (ulong)seed, budget);
                ratios[seed] = best / optimum;
                hits += best >= 0.95 * optimum ? 1 : 0;
                evaluations += used;
            }

            Array.Sort(ratios);
            Console.WriteLine($"{name,-28} {hits,3}/{seeds,-2} {ratios[seeds / 2].ToString("F3", Inv),22} {(evaluations / seeds).ToString("F1", Inv),19}");
            result.Add($"{name.Split(' ')[0]}{(name.Contains('x', StringComparison.Ordinal) ? "_" + name.Split(' ')[1].Trim('(', ':') : "")}_hits={hits}");
        }

        Console.WriteLine("RESULT " + string.Join(" ", result.Distinct()));
        return 0;
    }

    // Sequential Ask(1)/Tell with the engine's reuse of evaluated assignments (see docs/architecture.md, Repeated assignments).
    private static (double Best, int Evaluations) RunOne(MethodSettings settings, SearchSpace space, Dictionary<(long, long), double> sharpe, ulong seed, int budget)
    {
        var method = SearchMethods.Create(settings, space, null, seed);
        var told = new Dictionary<(long, long), double>();
        var proposals = new List<ParamValue[]>(1);
        double best = double.NegativeInfinity;
        int repeats = 0;
        while (told.Count < budget && !method.IsExhausted && repeats < MaxRepeatsInARow)
        {
            proposals.Clear();
            if (method.Ask(1, proposals) == 0)
            {
                break;
            }

            var p = proposals[0];
            var key = (p[0].AsInt, p[1].AsInt);
            bool repeat = told.ContainsKey(key);
            repeats = repeat ? repeats + 1 : 0;
            double value = told.TryGetValue(key, out double known) ? known : told[key] = sharpe[key];
            best = Math.Max(best, value);
            method.Tell(new Observation(p, [value], ObservationKind.Completed));
        }

        return (best, told.Count);
    }

    private static string FindNyse()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "samples", "data", "nyse_composite_daily_1966_2002.csv");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("samples/data/nyse_composite_daily_1966_2002.csv not found above the benchmark; give --data FILE");
    }
}
