using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace OptimizerGrpc.Benchmarks;

/// <summary>The Optuna peer: Debian's /usr/bin/python3 running optuna_baseline.py beside our runs, checked against our objective first.</summary>
internal static class OptunaPeer
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Checks the Python objective against ours on a few points, then starts the TPE runs in the background.</summary>
    internal static OptunaRun? CheckAndStartOptuna(string script, string csv, MaRsiObjective real, int seeds, int[] budgets)
    {
        (int, int, int, double, double)[] points = [(10, 100, 14, 30, 70), (5, 200, 3, 20, 80), (50, 60, 30, 45, 55.5), (7, 123, 9, 33.3333, 71.25)];
        var spec = string.Join(";", points.Select(p => string.Create(Inv, $"{p.Item1},{p.Item2},{p.Item3},{p.Item4:R},{p.Item5:R}")));
        var (code, stdout, stderr) = RunPython(script, ["--csv", csv, "--check", spec]);
        if (code == 3 || stdout.Contains("optuna not installed", StringComparison.Ordinal))
        {
            Console.WriteLine("optuna baseline skipped: install python3-optuna");
            return null;
        }

        if (code != 0)
        {
            Console.WriteLine($"optuna baseline skipped: optuna_baseline.py --check failed ({code}): {stderr.Trim()}");
            return null;
        }

        using var doc = JsonDocument.Parse(stdout);
        var python = doc.RootElement.GetProperty("check").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var worst = 0.0;
        for (var i = 0; i < points.Length; i++)
        {
            var p = points[i];
            var ours = real.Sharpe(p.Item1, p.Item2, p.Item3, p.Item4, p.Item5);
            worst = Math.Max(worst, Math.Abs(ours - python[i]));
            Console.WriteLine($"objective check {p}: C# {ours.ToString("R", Inv)}  python {python[i].ToString("R", Inv)}");
        }

        Console.WriteLine($"objective check: max |C# - python| = {worst.ToString("E2", Inv)} ({(worst <= 1e-9 ? "ok" : "MISMATCH: TPE's real-objective figures are not comparable")})");
        var process = StartPython(script, ["--csv", csv, "--seeds", seeds.ToString(Inv), "--budgets", string.Join(",", budgets)]);
        return new OptunaRun(process);
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

    internal sealed class OptunaRun(Process process)
    {
        private readonly Task<string> _stdout = process.StandardOutput.ReadToEndAsync();
        private readonly Task<string> _stderr = process.StandardError.ReadToEndAsync();

        public (Dictionary<string, double[][]>? Results, string Note) Collect()
        {
            var wait = Stopwatch.StartNew();
            process.WaitForExit();
            var waited = wait.Elapsed.TotalSeconds;
            var code = process.ExitCode;
            process.Dispose();
            if (code != 0)
            {
                return (null, $"optuna baseline failed ({code}): {_stderr.Result.Trim()}");
            }

            using var doc = JsonDocument.Parse(_stdout.Result);
            var root = doc.RootElement;
            var results = new Dictionary<string, double[][]>();
            foreach (var problem in root.GetProperty("results").EnumerateObject())
            {
                results[problem.Name] = problem.Value.EnumerateArray().Select(run => run.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
            }

            var time = root.GetProperty("seconds").EnumerateObject().Sum(p => p.Value.GetDouble());
            return (results, string.Create(Inv,
                $"optuna {root.GetProperty("optuna_version").GetString()} {root.GetProperty("sampler").GetString()}: {time:F0} s in python " +
                $"(ran beside the C# runs; {waited:F0} s waited for it afterwards)"));
        }
    }
}
