using OptimizerGrpc.Client;
using OptimizerGrpc.Optimization;
using OptimizerGrpc.Trading;
using TrialOutcome = OptimizerGrpc.Client.TrialOutcome;

namespace OptimizerGrpc.Dashboard.Tests.Infrastructure;

/// <summary>
/// The studies the browser tests look at: moving-average crossover rules backtested on the NYSE composite
/// (samples/data, 9,311 daily bars), searched on small grids and evaluated by real C# workers.
/// </summary>
internal static class Market
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    public static readonly Lazy<double[]> Close = new(() => new CsvDataHandler().Load(SampleData("nyse_composite_daily_1966_2002.csv")).Close);

    /// <summary>A grid of 9 fast × 4 slow windows: 36 trials.</summary>
    public static StudyBuilder MaGrid(string name) => new StudyBuilder(name)
        .Target("ma", t => t.Int("fast", 10, 50, step: 5).Int("slow", 100, 250, step: 50))
        .GridSearch()
        .Maximize("sharpe_ratio")
        .Metrics(annualizationFactor: 252);

    public static BacktestResult Backtest(TrialInfo trial) =>
        new Backtester().Run(Close.Value, new MovingAverageCrossoverRule(trial["ma.fast"].AsInt32(), trial["ma.slow"].AsInt32()));

    /// <summary>The whole series' backtest as the outcome (values and record).</summary>
    public static TrialOutcome Whole(TrialInfo trial) => TrialOutcome.FromBacktest(Backtest(trial));

    /// <summary>Segment mode, as a client's regime data handler would: only the trial's segments' bar returns, chained.</summary>
    public static TrialOutcome Segments(TrialInfo trial)
    {
        var full = Backtest(trial).Equity;
        var equity = new List<double> { 1.0 };
        foreach (var s in trial.DataContext.Segments)
        {
            for (long t = Math.Max(1, s.StartBar); t < s.EndBar; t++)
            {
                equity.Add(equity[^1] * (full[t] / full[t - 1]));
            }
        }

        return TrialOutcome.FromBacktest(equity, []);
    }

    /// <summary>Bull when the close is above its 200-day mean, else bear.</summary>
    public static (int[] Labels, string[] Names) TrendRegimes()
    {
        double[] close = Close.Value;
        var labels = new int[close.Length];
        double sum = 0;
        for (int t = 0; t < close.Length; t++)
        {
            sum += close[t];
            if (t >= 200)
            {
                sum -= close[t - 200];
            }

            labels[t] = t >= 199 && close[t] > sum / 200 ? 0 : 1;
        }

        return (labels, ["bull", "bear"]);
    }

    /// <summary>Runs a worker of capacity 4 until the study is finished.</summary>
    public static async Task RunAsync(OptimizerClient client, string studyId, Func<TrialInfo, TrialOutcome> evaluate)
    {
        var worker = new OptimizerWorker(client, [studyId], (trial, _) => Task.FromResult(evaluate(trial)), new WorkerOptions { Capacity = 4 });
        await worker.RunAsync().WaitAsync(Limit);
    }

    private static string SampleData(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "samples", "data", file);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("samples/data not found above the test directory", file);
    }
}
