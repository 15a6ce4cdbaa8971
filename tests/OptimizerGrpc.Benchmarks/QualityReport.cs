using System.Globalization;

namespace OptimizerGrpc.Benchmarks;

/// <summary>
/// The quality suite's figures: the table of median [Q1, Q3] per problem, method and budget, and per method the number
/// of problems where its median is at least as good as Optuna TPE's (a tie counts: "at least TPE's median"), synthetic
/// and real apart, at 100 and 200 evaluations; then the RESULT line.
/// </summary>
internal sealed class QualityReport(
    List<QualityProblems.Problem> problems, List<string> methods, Dictionary<string, Dictionary<string, double[][]>> results, int[] budgets)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public void PrintTable(Dictionary<(string, string), double> seconds)
    {
        Console.WriteLine("best value found: median [Q1, Q3] over seeds (synthetic: lower is better; real: Sharpe ratio, higher is better)");
        var header = $"{"problem",-17} {"method",-15} {"seeds",5}";
        foreach (var b in budgets)
        {
            header += $" {"@" + b.ToString(Inv),-30}";
        }

        Console.WriteLine(header + $" {"time s",7}");
        foreach (var p in problems)
        {
            foreach (var name in methods.Append(QualityBenchmark.Tpe))
            {
                if (!results[p.Name].TryGetValue(name, out var runs))
                {
                    continue;
                }

                var line = $"{p.Name,-17} {name,-15} {runs.Length,5}";
                for (var j = 0; j < budgets.Length; j++)
                {
                    var s = QualityBenchmark.Stats(runs.Select(r => r[j]).ToArray());
                    line += $" {$"{QualityBenchmark.Format(s.Median)} [{QualityBenchmark.Format(s.Q1)}, {QualityBenchmark.Format(s.Q3)}]",-30}";
                }

                var time = seconds.TryGetValue((p.Name, name), out var t) ? t.ToString("F1", Inv) : "-";
                Console.WriteLine(line + $" {time,7}");
            }
        }
    }

    /// <summary>Prints the win counts and returns the RESULT line.</summary>
    public string PrintWins()
    {
        var synthetic = problems.Where(p => !p.IsReal).ToList();
        var real = problems.Where(p => p.IsReal).ToList();
        int[] at = [.. AtBudgets()];
        Console.WriteLine("problems where the method's median is at least TPE's (Optuna), synthetic / real:");
        Console.WriteLine($"{"method",-15} " + string.Join(" ", at.Select(j => $"{"@" + budgets[j].ToString(Inv) + " synthetic",-15} {"@" + budgets[j].ToString(Inv) + " real",-10}")));
        var counts = new Dictionary<(string Method, int Budget, bool Real), int>();
        foreach (var m in methods)
        {
            var line = $"{m,-15} ";
            foreach (int j in at)
            {
                int s = synthetic.Count(p => AtLeast(p, m, QualityBenchmark.Tpe, j)), r = real.Count(p => AtLeast(p, m, QualityBenchmark.Tpe, j));
                counts[(m, budgets[j], false)] = s;
                counts[(m, budgets[j], true)] = r;
                line += $"{$"{s}/{synthetic.Count}",-15} {$"{r}/{real.Count}",-10} ";
            }

            Console.WriteLine(line.TrimEnd());
        }

        Console.WriteLine();
        foreach (int j in at)
        {
            Console.WriteLine($"real objectives at {budgets[j]} evaluations, median (TPE's in brackets): " + string.Join("; ", real.Select(p =>
                $"{p.Name} [{QualityBenchmark.Format(Median(p, QualityBenchmark.Tpe, j))}] " +
                string.Join(" ", methods.Select(m => $"{m} {QualityBenchmark.Format(Median(p, m, j))}")))));
        }

        // The historical synthetic figure: our best method per function at 100 evaluations against TPE.
        int j100 = Array.IndexOf(budgets, 100) >= 0 ? Array.IndexOf(budgets, 100) : budgets.Length / 2;
        int bestWins = synthetic.Count(p => methods.Any(m => AtLeast(p, m, QualityBenchmark.Tpe, j100)));
        string Count(string method, int budget, bool isReal) =>
            counts.TryGetValue((method, budget, isReal), out var c) ? $"{c}/{(isReal ? real.Count : synthetic.Count)}" : "na";

        return $"RESULT wins_vs_tpe={bestWins}/{synthetic.Count} real_wins_vs_tpe_100={Count("auto", 100, true)} real_wins_vs_tpe_200={Count("auto", 200, true)} " +
               $"auto_real_wins_vs_tpe_200={Count("auto", 200, true)} auto_real_wins_vs_tpe_100={Count("auto", 100, true)} " +
               $"bayes_real_wins_vs_tpe_100={Count("bayesian", 100, true)} bayes_real_wins_vs_tpe_200={Count("bayesian", 200, true)} " +
               $"tpe_real_wins_vs_tpe_100={Count("tpe", 100, true)} tpe_real_wins_vs_tpe_200={Count("tpe", 200, true)} " +
               $"auto_synthetic_wins_vs_tpe_100={Count("auto", 100, false)} auto_synthetic_wins_vs_tpe_200={Count("auto", 200, false)}";
    }

    /// <summary>
    /// How firm each real-objective comparison is: the share of bootstrap resamples (Efron, "Bootstrap methods: another
    /// look at the jackknife", Annals of Statistics 1979) of each side's seeds, drawn independently, in which
    /// <paramref name="method"/>'s median is at least TPE's. Near 0.5 the two medians differ by less than the seeds' noise.
    /// </summary>
    public void PrintBootstrap(string method, int resamples = 2000)
    {
        var real = problems.Where(p => p.IsReal && results[p.Name].ContainsKey(method) && results[p.Name].ContainsKey(QualityBenchmark.Tpe)).ToList();
        if (real.Count == 0)
        {
            return;
        }

        Console.WriteLine($"{method} vs TPE (Optuna), share of {resamples} bootstrap resamples of the seeds in which {method}'s median is at least TPE's:");
        var rng = new Random(20261130);
        foreach (var p in real)
        {
            var parts = AtBudgets().Select(j => $"@{budgets[j].ToString(Inv)} {Share(p, method, QualityBenchmark.Tpe, j, rng, resamples).ToString("F2", Inv)}");
            Console.WriteLine($"  {p.Name,-17} {string.Join("  ", parts)}");
        }
    }

    /// <summary>
    /// <paramref name="method"/> against the best of the other methods run (Optuna's excepted) on each real objective at
    /// 100 and 200 evaluations: which method had the best median, both medians, and the bootstrap share (as in
    /// <see cref="PrintBootstrap"/>) in which <paramref name="method"/>'s median is at least that method's. Returns, per
    /// budget, the number of real objectives where it is (null when no other method ran).
    /// </summary>
    public Dictionary<int, int>? PrintAgainstBestSingle(string method, int resamples = 2000)
    {
        var real = problems.Where(p => p.IsReal && results[p.Name].ContainsKey(method)).ToList();
        var others = methods.Where(m => m != method).ToList();
        if (real.Count == 0 || others.Count == 0)
        {
            return null;
        }

        Console.WriteLine($"{method} vs the best other method per real objective (best median among {string.Join(", ", others)}), and the share of {resamples} bootstrap resamples in which {method}'s median is at least its:");
        var rng = new Random(20261201);
        var atLeast = new Dictionary<int, int>();
        foreach (var p in real)
        {
            var parts = new List<string>();
            foreach (int j in AtBudgets())
            {
                var best = others.Where(m => results[p.Name].ContainsKey(m))
                    .OrderBy(m => p.Minimize ? Median(p, m, j) : -Median(p, m, j)).ThenBy(m => m, StringComparer.Ordinal).First();
                double ours = Median(p, method, j), theirs = Median(p, best, j);
                bool ok = AtLeast(p.Minimize, ours, theirs);
                atLeast[budgets[j]] = atLeast.GetValueOrDefault(budgets[j]) + (ok ? 1 : 0);
                parts.Add($"@{budgets[j].ToString(Inv)} {best} {QualityBenchmark.Format(theirs)}, {method} {QualityBenchmark.Format(ours)}{(ok ? "" : " (below)")}, share {Share(p, method, best, j, rng, resamples).ToString("F2", Inv)}");
            }

            Console.WriteLine($"  {p.Name,-17} {string.Join("; ", parts)}");
        }

        return atLeast;
    }

    private IEnumerable<int> AtBudgets() => new[] { 100, 200 }.Select(b => Array.IndexOf(budgets, b)).Where(i => i >= 0);

    // The share of resamples in which `method`'s median is at least `other`'s (each side's seeds resampled on its own).
    private double Share(QualityProblems.Problem p, string method, string other, int j, Random rng, int resamples)
    {
        double[] ours = [.. results[p.Name][method].Select(r => r[j])], theirs = [.. results[p.Name][other].Select(r => r[j])];
        int atLeast = 0;
        for (int k = 0; k < resamples; k++)
        {
            double a = ResampledMedian(ours, rng), b = ResampledMedian(theirs, rng);
            atLeast += AtLeast(p.Minimize, a, b) ? 1 : 0;
        }

        return atLeast / (double)resamples;
    }

    private static double ResampledMedian(double[] values, Random rng)
    {
        var sample = new double[values.Length];
        for (int i = 0; i < sample.Length; i++)
        {
            sample[i] = values[rng.Next(values.Length)];
        }

        Array.Sort(sample);
        return QualityBenchmark.Quantile(sample, 0.5);
    }

    private double Median(QualityProblems.Problem p, string method, int j) =>
        results[p.Name].TryGetValue(method, out var runs) ? QualityBenchmark.Stats(runs.Select(r => r[j]).ToArray()).Median : double.NaN;

    private bool AtLeast(QualityProblems.Problem p, string method, string other, int j) =>
        AtLeast(p.Minimize, Median(p, method, j), Median(p, other, j));

    // A tie counts: "at least as good as", in the problem's own orientation.
    private static bool AtLeast(bool minimize, double ours, double theirs) => minimize ? ours <= theirs : ours >= theirs;
}
