using System.Diagnostics;
using System.Globalization;
using OptimizerGrpc.Trading;

namespace OptimizerGrpc.Benchmarks;

/// <summary>
/// Client-side backtest speed: bar evaluations per second on one core for a moving-average crossover sweep on the
/// NYSE composite daily series (9,311 bars) with <see cref="MovingAverageSweep"/>, single thread. A bar evaluation is
/// one iteration of the sweep's inner loop (signal, equity, drawdown and Sharpe sums for one bar of one setting);
/// warm-up bars before the slow window is full are skipped by the sweep and not counted. For comparison the same
/// settings are run through <see cref="MovingAverageCrossoverRule"/> + <see cref="Backtester"/> (allocating, with
/// trades). Prints a table and, last, <c>RESULT bar_evals_per_s=&lt;n&gt; ...</c> for the sweep.
/// Usage: <c>backtest [--runs N]</c>.
/// </summary>
internal static class BacktestBenchmark
{
    private const string SampleFile = "nyse_composite_daily_1966_2002.csv";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(string[] args)
    {
        var runs = 5;
        for (var i = 1; i < args.Length; i++)
        {
            if (args[i] == "--runs" && i + 1 < args.Length && int.TryParse(args[++i], Inv, out runs) && runs > 0)
            {
                continue;
            }

            Console.Error.WriteLine("usage: OptimizerGrpc.Benchmarks backtest [--runs N]");
            return 2;
        }

        var path = Find();
        if (path is null)
        {
            Console.Error.WriteLine($"samples/data/{SampleFile} not found above {Directory.GetCurrentDirectory()}");
            return 1;
        }

        var close = new CsvDataHandler().Load(path).Close;
        var sweep = new MovingAverageSweep(close);

        // The demo's grid: fast 5..100 step 5, slow 20..300 step 10, fast < slow.
        var pairs = (from fast in Enumerable.Range(1, 20).Select(i => i * 5)
                     from slow in Enumerable.Range(2, 29).Select(i => i * 10)
                     where fast < slow
                     select (Fast: fast, Slow: slow)).ToArray();
        long barEvals = pairs.Sum(p => (long)(close.Length - p.Slow));
        Console.WriteLine($"backtest benchmark: {path}, {close.Length} bars, {pairs.Length} MA crossover settings (fast 5..100/5 x slow 20..300/10), " +
                          $"{barEvals:N0} bar evaluations per sweep, one thread, median of {runs} runs");
        Console.WriteLine();

        var checksum = 0.0;
        var sweepSeconds = Median(runs, () =>
        {
            foreach (var (fast, slow) in pairs)
            {
                checksum += sweep.Evaluate(fast, slow).SharpeRatio;
            }
        });

        // The allocating path on a tenth of the settings, scaled by bars: rule positions, backtest with trades, Sharpe.
        var backtester = new Backtester();
        var subset = pairs.Where((_, i) => i % 10 == 0).ToArray();
        long subsetEvals = subset.Sum(p => (long)(close.Length - p.Slow));
        var ruleSeconds = Median(runs, () =>
        {
            foreach (var (fast, slow) in subset)
            {
                checksum += backtester.Run(close, new MovingAverageCrossoverRule(fast, slow)).SharpeRatio();
            }
        });

        double sweepRate = barEvals / sweepSeconds, ruleRate = subsetEvals / ruleSeconds;
        Console.WriteLine($"{"path",-36} {"settings/s",12} {"bar evals/s",14} {"ns/bar",8}");
        Console.WriteLine($"{"MovingAverageSweep.Evaluate",-36} {pairs.Length / sweepSeconds,12:F0} {sweepRate,14:F0} {1e9 / sweepRate,8:F2}");
        Console.WriteLine($"{"rule + Backtester + SharpeRatio",-36} {subset.Length / ruleSeconds,12:F0} {ruleRate,14:F0} {1e9 / ruleRate,8:F2}");
        Console.WriteLine($"(checksum {checksum.ToString("G6", Inv)})");
        Console.WriteLine();
        Console.WriteLine($"RESULT bar_evals_per_s={sweepRate.ToString("F0", Inv)} settings_per_s={(pairs.Length / sweepSeconds).ToString("F0", Inv)} " +
                          $"bars={close.Length.ToString(Inv)} rule_backtester_bar_evals_per_s={ruleRate.ToString("F0", Inv)}");
        return 0;
    }

    private static double Median(int runs, Action body)
    {
        body(); // warm-up: JIT and tiered compilation
        var seconds = new double[runs];
        for (var run = 0; run < runs; run++)
        {
            var watch = Stopwatch.StartNew();
            body();
            seconds[run] = watch.Elapsed.TotalSeconds;
        }

        Array.Sort(seconds);
        return seconds[runs / 2];
    }

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "samples", "data", SampleFile);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
