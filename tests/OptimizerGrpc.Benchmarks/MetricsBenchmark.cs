using System.Diagnostics;
using System.Globalization;
using OptimizerGrpc.Core.Metrics;

namespace OptimizerGrpc.Benchmarks;

/// <summary>
/// Server-side metric throughput: how many backtest records per second <see cref="MetricCalculator"/> scores on one
/// core, on the USD/CHF 30-minute sample (62,496 bars) backtested with an inline MA crossover. Prints a table and,
/// last, <c>RESULT records_per_s=&lt;n&gt; bars=&lt;n&gt;</c> for the full record (timestamps, position, trades, all metrics).
/// Usage: <c>[metrics] [--runs N] [--records N]</c>.
/// </summary>
internal static class MetricsBenchmark
{
    private const string SampleFile = "usdchf_30min_1996_2001.csv";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(string[] args)
    {
        int runs = 7, records = 300;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "metrics":
                    break;
                case "--runs" when i + 1 < args.Length:
                    runs = int.Parse(args[++i], Inv);
                    break;
                case "--records" when i + 1 < args.Length:
                    records = int.Parse(args[++i], Inv);
                    break;
                default:
                    Console.Error.WriteLine("usage: OptimizerGrpc.Benchmarks metrics [--runs N] [--records N]");
                    return 2;
            }
        }

        var path = FindSample();
        if (path is null)
        {
            Console.Error.WriteLine($"samples/data/{SampleFile} not found above {Directory.GetCurrentDirectory()}");
            return 1;
        }

        var (timestamps, close) = Load(path);
        var full = Backtest(close, timestamps, fast: 20, slow: 100);
        var equityAndTrades = full with { TimestampsUnixMs = null, Position = null };
        var segments = TenSegments(close.Length);
        var inferred = MetricSettings.Default;
        var daily = new MetricSettings(AnnualizationFactor: 252);
        string[] sharpeOnly = ["sharpe_ratio"];

        var sample = MetricCalculator.Compute(full, inferred);
        Console.WriteLine($"metrics benchmark: {path}, {close.Length} bars, {full.Trades.Count} trades (MA 20/100 crossover), " +
                          $"{Environment.ProcessorCount} cores, median of {runs} runs x {records} records, one thread");
        Console.WriteLine($"annualisation inferred: {sample.AnnualizationFactorUsed.ToString(Inv)} bars/year ({sample.AnnualizationSource}); " +
                          $"sharpe {sample["sharpe_ratio"].ToString("F3", Inv)}, max_drawdown {sample["max_drawdown"].ToString("F3", Inv)}, " +
                          $"exposure {sample["exposure"].ToString("F3", Inv)}");
        Console.WriteLine();

        (string Name, Func<MetricValues> Score)[] scenarios =
        [
            ("full record, all metrics", () => MetricCalculator.Compute(full, inferred)),
            ("equity + trades, factor given", () => MetricCalculator.Compute(equityAndTrades, daily)),
            ("full record, sharpe_ratio only", () => MetricCalculator.Compute(full, inferred, sharpeOnly)),
            ("attribution, 10 segments (50%)", () => MetricCalculator.ComputeOnBars(full, segments, inferred)),
        ];

        Console.WriteLine($"{"scenario",-34} {"records/s",11} {"µs/record",10} {"ns/bar",8}");
        double headline = 0;
        foreach (var (name, score) in scenarios)
        {
            var perSecond = Measure(score, runs, records);
            headline = headline == 0 ? perSecond : headline;
            Console.WriteLine($"{name,-34} {perSecond,11:F0} {1e6 / perSecond,10:F1} {1e9 / perSecond / close.Length,8:F2}");
        }

        Console.WriteLine();
        Console.WriteLine($"RESULT records_per_s={headline.ToString("F0", Inv)} bars={close.Length.ToString(Inv)}");
        return 0;
    }

    /// <summary>Median over runs of records per second; one untimed run first warms up the JIT (tiered PGO).</summary>
    private static double Measure(Func<MetricValues> score, int runs, int records)
    {
        var checksum = 0.0;
        for (var i = 0; i < records; i++)
        {
            checksum += score().Count;
        }

        var rates = new double[runs];
        for (var run = 0; run < runs; run++)
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < records; i++)
            {
                checksum += score().Count;
            }

            rates[run] = records / watch.Elapsed.TotalSeconds;
        }

        GC.KeepAlive(checksum);
        Array.Sort(rates);
        return rates[runs / 2];
    }

    /// <summary>
    /// Close-to-close MA crossover, long when the fast SMA is above the slow one and short below, 1 bp per unit of
    /// position change. Position[t] is decided at bar t's close and earns the return to t + 1; a trade is a run of
    /// one sign, [entry, exit).
    /// </summary>
    private static BacktestSeries Backtest(double[] close, long[] timestamps, int fast, int slow)
    {
        const double commission = 1e-4;
        var n = close.Length;
        var position = new double[n];
        double fastSum = 0, slowSum = 0;
        for (var t = 0; t < n; t++)
        {
            fastSum += close[t] - (t >= fast ? close[t - fast] : 0);
            slowSum += close[t] - (t >= slow ? close[t - slow] : 0);
            if (t >= slow - 1)
            {
                position[t] = Math.Sign((fastSum / fast) - (slowSum / slow));
            }
        }

        var equity = new double[n];
        equity[0] = 10_000;
        for (var t = 0; t + 1 < n; t++)
        {
            var change = Math.Abs(position[t] - (t > 0 ? position[t - 1] : 0));
            equity[t + 1] = equity[t] * (1 - (commission * change)) * (1 + (position[t] * ((close[t + 1] / close[t]) - 1)));
        }

        var trades = new List<TradeRecord>();
        var entry = -1;
        for (var t = 0; t < n; t++)
        {
            var ends = entry >= 0 && (t == n - 1 || position[t] != position[entry]);
            if (ends)
            {
                var side = position[entry] > 0 ? TradeSide.Long : TradeSide.Short;
                var priceReturn = position[entry] * ((close[t] / close[entry]) - 1);
                trades.Add(new TradeRecord(entry, t, side, 1, close[entry], close[t], priceReturn, equity[t] - equity[entry]));
                entry = -1;
            }

            if (entry < 0 && position[t] != 0 && t < n - 1)
            {
                entry = t;
            }
        }

        return new BacktestSeries(equity, trades, timestamps, position);
    }

    /// <summary>Ten equal segments covering every other tenth of the series, as a regime attribution would.</summary>
    private static (long Start, long End)[] TenSegments(int bars)
    {
        var width = bars / 20;
        return [.. Enumerable.Range(0, 10).Select(i => ((long)(2 * i * width), (long)(((2 * i) + 1) * width)))];
    }

    private static (long[] Timestamps, double[] Close) Load(string path)
    {
        var timestamps = new List<long>();
        var close = new List<double>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var comma = line.IndexOf(',');
            if (comma < 0)
            {
                continue;
            }

            var time = DateTime.ParseExact(
                line.AsSpan(0, comma), "yyyy-MM-dd'T'HH:mm:ss", Inv, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
            timestamps.Add(new DateTimeOffset(time).ToUnixTimeMilliseconds());
            close.Add(double.Parse(line.AsSpan(comma + 1), Inv));
        }

        return ([.. timestamps], [.. close]);
    }

    private static string? FindSample()
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
