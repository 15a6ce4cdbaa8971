// Usage: dotnet run -c Release --project clients/csharp/OptimizerGrpc.Trading.Demo [path/to/prices.csv]
// Backtests MA(10, 50) on the series, then sweeps every (fast, slow) pair and reports bar-evaluations per second.
using System.Diagnostics;
using OptimizerGrpc.Trading;

var path = args.Length > 0 ? args[0] : FindSample("nyse_composite_daily_1966_2002.csv");
var series = new CsvDataHandler().Load(path);
Console.WriteLine($"{series.Name}: {series.Count} bars, {series.Times[0]:yyyy-MM-dd} .. {series.Times[^1]:yyyy-MM-dd}");
foreach (var issue in series.Issues)
{
    Console.WriteLine($"  data issue: {issue}");
}

var result = new Backtester(commission: 0.0005).Run(series.Close, new MovingAverageCrossoverRule(10, 50));
Console.WriteLine(
    $"MA(10, 50), 5 bp commission: Sharpe {result.SharpeRatio():F3}, total return {result.TotalReturn:P1}, " +
    $"max drawdown {result.MaxDrawdown:P1}, trades {result.Trades.Count}");

var sweep = new MovingAverageSweep(series.Close, commission: 0.0005);
sweep.EvaluateGrid(2, 20, 3, 40); // warm up the JIT before timing

foreach (var parallelism in new[] { 1, Environment.ProcessorCount })
{
    var stopwatch = Stopwatch.StartNew();
    var scores = sweep.EvaluateGrid(2, 100, 5, 300, maxDegreeOfParallelism: parallelism);
    stopwatch.Stop();
    var barEvaluations = (double)scores.Length * (series.Count - 1);
    var best = scores.MaxBy(s => s.SharpeRatio);
    Console.WriteLine(
        $"sweep of {scores.Length} pairs on {parallelism} thread(s): {stopwatch.Elapsed.TotalMilliseconds:F0} ms, " +
        $"{barEvaluations / stopwatch.Elapsed.TotalSeconds / 1e6:F0} M bar-evaluations/s; best MA({best.Fast}, {best.Slow}) Sharpe {best.SharpeRatio:F3}");
}

static string FindSample(string fileName)
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        var candidate = Path.Combine(dir.FullName, "samples", "data", fileName);
        if (File.Exists(candidate))
        {
            return candidate;
        }
    }

    throw new FileNotFoundException($"samples/data/{fileName} not found; pass a CSV path as the first argument.");
}
