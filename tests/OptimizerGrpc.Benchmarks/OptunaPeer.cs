using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Benchmarks;

/// <summary>The Optuna peer: Debian's /usr/bin/python3 running optuna_baseline.py beside our runs, checked against our objective first.</summary>
internal static class OptunaPeer
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Checks each real Python objective against ours on a few points, then starts the TPE runs in the background.</summary>
    internal static OptunaRun? CheckAndStartOptuna(
        string script, string dataDir, IReadOnlyList<QualityProblems.Problem> problems, int firstSeed, int seeds, int[] budgets, int jobs, bool checkOnly = false)
    {
        foreach (var problem in problems.Where(p => p.IsReal))
        {
            var spec = string.Join(";", problem.CheckPoints.Select(point => string.Join(",", point.Select(v => v.Kind switch
            {
                ParamKind.Float => v.AsFloat.ToString("R", Inv),
                ParamKind.Int => v.AsInt.ToString(Inv),
                _ => v.AsString,
            }))));
            var (code, stdout, stderr) = RunPython(script, ["--data", dataDir, "--check-problem", problem.Name, "--check", spec]);
            if (code == 3 || stdout.Contains("optuna not installed", StringComparison.Ordinal))
            {
                Console.WriteLine("optuna baseline skipped: install python3-optuna");
                return null;
            }

            if (code != 0)
            {
                Console.WriteLine($"optuna baseline skipped: optuna_baseline.py --check {problem.Name} failed ({code}): {stderr.Trim()}");
                return null;
            }

            using var doc = JsonDocument.Parse(stdout);
            var python = doc.RootElement.GetProperty("check").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var worst = 0.0;
            for (var i = 0; i < problem.CheckPoints.Length; i++)
            {
                var ours = problem.Value(problem.CheckPoints[i]);
                worst = Math.Max(worst, Math.Abs(ours - python[i]));
            }

            Console.WriteLine($"objective check {problem.Name}: {problem.CheckPoints.Length} points, max |C# - python| = {worst.ToString("E2", Inv)} " +
                              $"({(worst <= 1e-9 ? "ok" : "MISMATCH: TPE's figures on this objective are not comparable")}); " +
                              $"values {string.Join(" ", python.Select(v => v.ToString("F4", Inv)))}");
        }

        if (checkOnly)
        {
            return null;
        }

        // One process per job, the problems dealt round-robin (the real ones, slow in Python, first).
        var ordered = problems.OrderBy(p => p.IsReal ? 0 : 1).ToList();
        var processes = Enumerable.Range(0, Math.Min(jobs, ordered.Count)).Select(j => StartPython(script,
        [
            "--data", dataDir, "--first-seed", firstSeed.ToString(Inv), "--seeds", seeds.ToString(Inv), "--budgets", string.Join(",", budgets),
            "--problems", string.Join(",", ordered.Where((_, i) => i % jobs == j).Select(p => p.Name)),
        ])).ToList();
        return new OptunaRun(processes);
    }

    internal static (int Code, string Stdout, string Stderr) RunPython(string script, string[] arguments)
    {
        using var process = StartPython(script, arguments);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static Process StartPython(string script, string[] arguments)
    {
        var info = new ProcessStartInfo(QualityBenchmark.Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(script);
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        return Process.Start(info) ?? throw new InvalidOperationException($"could not start {QualityBenchmark.Python}");
    }

    /// <summary>
    /// Optuna's figures from an earlier run with the same seeds (first and count), budgets and problems (TPESampler(seed=s) is deterministic
    /// given them), or null. The objectives are still checked against Python's before the cache is used.
    /// </summary>
    internal static Dictionary<string, double[][]>? LoadCache(string path, IReadOnlyList<QualityProblems.Problem> problems, int firstSeed, int seeds, int[] budgets)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        int cachedFirst = root.TryGetProperty("first_seed", out var first) ? first.GetInt32() : 0;
        if (cachedFirst != firstSeed || root.GetProperty("seeds").GetInt32() != seeds
            || !root.GetProperty("budgets").EnumerateArray().Select(b => b.GetInt32()).SequenceEqual(budgets))
        {
            return null;
        }

        var results = new Dictionary<string, double[][]>();
        foreach (var problem in root.GetProperty("results").EnumerateObject())
        {
            results[problem.Name] = problem.Value.EnumerateArray().Select(run => run.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        }

        return problems.All(p => results.ContainsKey(p.Name)) ? results : null;
    }

    /// <summary>Writes Optuna's figures for <see cref="LoadCache"/>, merged with what the file already holds for the same seeds and budgets.</summary>
    internal static void SaveCache(string path, Dictionary<string, double[][]> results, int firstSeed, int seeds, int[] budgets)
    {
        var merged = LoadCache(path, [], firstSeed, seeds, budgets) ?? [];
        foreach (var (name, runs) in results)
        {
            merged[name] = runs;
        }

        File.WriteAllText(path, JsonSerializer.Serialize(new { first_seed = firstSeed, seeds, budgets, results = merged }));
    }

    internal sealed class OptunaRun(List<Process> processes)
    {
        private readonly List<(Process Process, Task<string> Stdout, Task<string> Stderr)> _runs =
            [.. processes.Select(p => (p, p.StandardOutput.ReadToEndAsync(), p.StandardError.ReadToEndAsync()))];

        public (Dictionary<string, double[][]>? Results, string Note) Collect()
        {
            var wait = Stopwatch.StartNew();
            var results = new Dictionary<string, double[][]>();
            double time = 0;
            string version = "?", sampler = "?";
            string? failure = null;
            foreach (var (process, stdout, stderr) in _runs)
            {
                process.WaitForExit();
                var code = process.ExitCode;
                process.Dispose();
                if (code != 0)
                {
                    failure ??= $"optuna baseline failed ({code}): {stderr.Result.Trim()}";
                    continue;
                }

                using var doc = JsonDocument.Parse(stdout.Result);
                var root = doc.RootElement;
                foreach (var problem in root.GetProperty("results").EnumerateObject())
                {
                    results[problem.Name] = problem.Value.EnumerateArray().Select(run => run.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
                }

                time += root.GetProperty("seconds").EnumerateObject().Sum(p => p.Value.GetDouble());
                version = root.GetProperty("optuna_version").GetString() ?? "?";
                sampler = root.GetProperty("sampler").GetString() ?? "?";
            }

            if (failure is not null)
            {
                return (null, failure);
            }

            return (results, string.Create(Inv,
                $"optuna {version} {sampler}: {time:F0} s in python over {_runs.Count} process(es) " +
                $"(ran beside the C# runs; {wait.Elapsed.TotalSeconds:F0} s waited for it afterwards)"));
        }
    }
}
