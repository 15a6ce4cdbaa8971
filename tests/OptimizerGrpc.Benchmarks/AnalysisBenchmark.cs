using System.Diagnostics;
using System.Globalization;
using OptimizerGrpc.Core.Analysis.Landscape;
using OptimizerGrpc.Core.Analysis.Overfitting;
using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Randomness;
using OptimizerGrpc.Core.Sequences;
using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Benchmarks;

/// <summary>
/// <c>analysis</c>: what a stage's analysis costs. In memory, on a completed 100,000-trial stage of five parameters (two
/// ints, a float, a log float, a categorical) whose trials each carry the 16-block summary of a 2,000-period return
/// series: <see cref="LandscapeAnalysis"/> Offer + Analyze and <see cref="OverfittingAccumulator"/> Offer + Build with
/// default options (PBO over at most 1,000 sampled trials, S = 16), one warm-up then the median of 3 runs; PBO alone
/// (<see cref="BacktestOverfitting.Estimate"/>, N = 1,000, S = 16); the bytes stored per trial for the statistics. Then
/// the real server (<see cref="AnalysisRpcBenchmark"/>): 20,000 trials told with 600-point equity curves, one
/// AnalyzeStudy RPC timed. Prints a table and, last,
/// <c>RESULT analysis_s_100k=… pbo_s_1000=… stats_bytes_per_trial=… analyze_rpc_s_20k=…</c>.
/// Usage: <c>analysis [--trials N] [--runs N] [--rpc-trials N]</c> (<c>--rpc-trials 0</c> skips the server).
/// </summary>
internal static class AnalysisBenchmark
{
    /// <summary>The synthetic backtest's per-period return standard deviation.</summary>
    public const double Sigma = 0.01;

    /// <summary>Choices of the categorical parameter <c>t.kind</c>.</summary>
    public static readonly string[] Kinds = ["sma", "ema", "wma"];

    private const int Periods = 2_000;
    private const int PboTrials = 1_000;
    private const double AnalysisTargetS = 2, PboTargetS = 1, BytesTarget = 1024;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> MainAsync(string[] args)
    {
        int trials = 100_000, runs = 3, rpcTrials = 20_000;
        for (int i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--trials" when i + 1 < args.Length: trials = int.Parse(args[++i], Inv); break;
                case "--runs" when i + 1 < args.Length: runs = int.Parse(args[++i], Inv); break;
                case "--rpc-trials" when i + 1 < args.Length: rpcTrials = int.Parse(args[++i], Inv); break;
                default:
                    Console.Error.WriteLine("usage: OptimizerGrpc.Benchmarks analysis [--trials N] [--runs N] [--rpc-trials N]");
                    return 2;
            }
        }

        var build = Stopwatch.StartNew();
        var (stage, records, best) = Stage(trials, seed: 7);
        Console.WriteLine($"analysis benchmark: {Environment.ProcessorCount} cores; {trials:N0} completed trials of 5 parameters (2 int, float, log float, categorical), " +
                          $"each with a 16-block summary of {Periods:N0} returns (built in {build.Elapsed.TotalSeconds:F1} s); median of {runs} runs after one warm-up");
        Console.WriteLine();

        var parts = Median(runs, () => AnalyseOnce(stage, records, best));
        var (landscape, overfitting) = Reports(stage, records, best);
        Console.WriteLine($"{"part",-40} {"seconds",8}");
        Console.WriteLine($"{"landscape: offer " + trials.ToString("N0", Inv) + " trials",-40} {parts[0],8:F3}");
        Console.WriteLine($"{"landscape: analyze",-40} {parts[1],8:F3}");
        Console.WriteLine($"{"overfitting: offer " + trials.ToString("N0", Inv) + " summaries",-40} {parts[2],8:F3}");
        Console.WriteLine($"{"overfitting: build (DSR, PBO of " + overfitting.Pbo?.TrialCount.ToString(Inv) + ")",-40} {parts[3],8:F3}");
        Console.WriteLine($"{"analysis in all",-40} {parts[4],8:F3}   target <= {AnalysisTargetS:F0} s");
        Console.WriteLine($"  most important: {landscape.Importance[0].Parameter}; winner #{best}: annualised SR {overfitting.Winner!.AnnualizedSharpeRatio:F2}, " +
                          $"PSR {overfitting.Winner.ProbabilisticSharpeRatio:F3}, DSR {overfitting.Winner.DeflatedSharpeRatio:F3} (N {overfitting.Winner.Trials:N0}); PBO {overfitting.Pbo!.Probability:F3}");

        var sample = records.Take(PboTrials).Select(r => r.Returns!.Blocks).ToArray();
        double pbo = Median(runs, () => [Time(() => BacktestOverfitting.Estimate(sample))])[0];
        Console.WriteLine($"{"PBO, N = " + sample.Length.ToString("N0", Inv) + ", S = 16 (" + 12_870.ToString("N0", Inv) + " splits)",-40} {pbo,8:F3}   target <= {PboTargetS:F0} s");
        Console.WriteLine();

        var summary = records[0].Returns!;
        int bytes = summary.ToBytes().Length;
        var fourRegimes = summary with { Regimes = [.. Enumerable.Range(0, 4).Select(r => summary.Blocks[r])] };
        Console.WriteLine($"{"stored statistics per trial",-40} {"bytes",8}");
        Console.WriteLine($"{"16 blocks, no regimes",-40} {bytes,8}   target <= {BytesTarget:F0}");
        Console.WriteLine($"{"16 blocks, 4 regimes",-40} {fourRegimes.ToBytes().Length,8}");
        Console.WriteLine();

        double rpc = double.NaN;
        if (rpcTrials > 0)
        {
            rpc = await AnalysisRpcBenchmark.RunAsync(rpcTrials);
        }

        Console.WriteLine(
            $"RESULT analysis_s_100k={parts[4].ToString("F3", Inv)} pbo_s_1000={pbo.ToString("F3", Inv)} " +
            $"stats_bytes_per_trial={bytes.ToString(Inv)} analyze_rpc_s_20k={rpc.ToString("F3", Inv)}");
        return 0;
    }

    /// <summary>The per-period mean return of a parameter assignment: a smooth hill in fast, slow and threshold, rising
    /// with the log of the rate and with the kind's index; at most about 0.00045, an annualised Sharpe ratio near 0.7.</summary>
    public static double Drift(long fast, long slow, double threshold, double rate, int kind)
    {
        double f = Math.Exp(-Square((fast - 30) / 25.0))
            + (0.5 * Math.Exp(-Square((slow - 200) / 120.0)))
            + (0.3 * Math.Cos(3 * (threshold - 0.6)))
            + (0.2 * Math.Log(rate / 1e-4) / Math.Log(1000))
            + (0.1 * kind);
        return 0.0002 * f;
    }

    private static double Square(double x) => x * x;

    /// <summary>The analysis' four parts and their sum, in seconds.</summary>
    private static double[] AnalyseOnce(StageDefinition stage, TrialRecord[] records, long best)
    {
        long t0 = Stopwatch.GetTimestamp();
        var landscape = new LandscapeAnalysis(stage);
        foreach (var record in records)
        {
            landscape.Offer(record);
        }

        long t1 = Stopwatch.GetTimestamp();
        GC.KeepAlive(landscape.Analyze());
        long t2 = Stopwatch.GetTimestamp();
        var accumulator = new OverfittingAccumulator(new OverfittingOptions(), records.Length);
        foreach (var record in records)
        {
            accumulator.Offer(record.Returns!, record.Number == best);
        }

        long t3 = Stopwatch.GetTimestamp();
        GC.KeepAlive(accumulator.Build());
        long t4 = Stopwatch.GetTimestamp();
        double S(long a, long b) => Stopwatch.GetElapsedTime(a, b).TotalSeconds;
        return [S(t0, t1), S(t1, t2), S(t2, t3), S(t3, t4), S(t0, t4)];
    }

    private static (LandscapeReport Landscape, OverfittingReport Overfitting) Reports(StageDefinition stage, TrialRecord[] records, long best)
    {
        var landscape = new LandscapeAnalysis(stage);
        var accumulator = new OverfittingAccumulator(new OverfittingOptions(), records.Length);
        foreach (var record in records)
        {
            landscape.Offer(record);
            accumulator.Offer(record.Returns!, record.Number == best);
        }

        return (landscape.Analyze(), accumulator.Build());
    }

    /// <summary>Each figure's median over <paramref name="runs"/> runs, after one untimed warm-up run.</summary>
    private static double[] Median(int runs, Func<double[]> run)
    {
        run();
        var all = Enumerable.Range(0, runs).Select(_ => run()).ToArray();
        return [.. Enumerable.Range(0, all[0].Length).Select(k => all.Select(r => r[k]).Order().ElementAt(runs / 2))];
    }

    private static double Time(Action action)
    {
        long t0 = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }

    /// <summary>A completed random-search stage: uniform assignments, each scored by the annualised Sharpe ratio of its
    /// synthetic returns (so the score is the smooth <see cref="Drift"/> plus sampling noise). Returns the winner's number.</summary>
    private static (StageDefinition Stage, TrialRecord[] Records, long Best) Stage(int count, ulong seed)
    {
        var space = new SearchSpace([
            new SearchParameter("t.fast", new IntDomain(2, 100, 1)),
            new SearchParameter("t.slow", new IntDomain(20, 400, 5)),
            new SearchParameter("t.threshold", new FloatDomain(0, 1, null, false)),
            new SearchParameter("t.rate", new FloatDomain(1e-4, 1e-1, null, true)),
            new SearchParameter("t.kind", new CategoricalDomain(Kinds)),
        ]);
        var stage = SequencePlanner.Plan(
            new SingleSequence(),
            new PlanningContext(space, ["t"], new RandomSettings(), seed, [new ObjectiveDefinition("sharpe_ratio", true)], null, count, DataDescription.None))[0];
        var rng = new Xoshiro256StarStar(seed);
        var records = new TrialRecord[count];
        long best = 0;
        double bestScore = double.NegativeInfinity;
        for (int i = 0; i < count; i++)
        {
            long fast = 2 + rng.NextInt64(99), slow = 20 + (5 * rng.NextInt64(77));
            double threshold = rng.NextDouble(), rate = 1e-4 * Math.Pow(1000, rng.NextDouble());
            int kind = (int)rng.NextInt64(Kinds.Length);
            var returns = Summary(rng, Drift(fast, slow, threshold, rate, kind));
            double score = returns.Blocks.Total.SharpeRatio() * Math.Sqrt(252);
            records[i] = new TrialRecord
            {
                StudyId = "bench",
                StageIndex = 0,
                Number = i,
                State = TrialState.Completed,
                Space = space,
                Params = [ParamValue.Int(fast), ParamValue.Int(slow), ParamValue.Float(threshold), ParamValue.Float(rate), ParamValue.String(Kinds[kind])],
                Context = DataContext.Whole,
                ObjectiveValues = [score],
                Returns = returns,
            };
            (best, bestScore) = score > bestScore ? (i, score) : (best, bestScore);
        }

        return (stage, records, best);
    }

    /// <summary>
    /// The 16-block summary of <see cref="Periods"/> normal returns of mean <paramref name="drift"/> and sd
    /// <see cref="Sigma"/>, drawn per block rather than per return: the block mean ~ N(μ, σ²/n), the sample variance
    /// σ²·(1 + √(2/(n − 1))·z) (the chi-square's normal approximation), the third and fourth power sums those of a
    /// normal sample with that mean and variance. Two draws per block instead of 125.
    /// </summary>
    private static TrialReturns Summary(Xoshiro256StarStar rng, double drift)
    {
        const int n = Periods / ScoredReturns.StoredBlocks;
        var blocks = new ReturnSums[ScoredReturns.StoredBlocks];
        for (int b = 0; b < blocks.Length; b++)
        {
            double m = drift + (Sigma / Math.Sqrt(n) * rng.NextGaussian());
            double s2 = Sigma * Sigma * Math.Max(0.1, 1 + (Math.Sqrt(2.0 / (n - 1)) * rng.NextGaussian()));
            double m2 = m * m;
            blocks[b] = new ReturnSums(n, n * m, ((n - 1) * s2) + (n * m2), n * ((m2 * m) + (3 * m * s2)), n * ((m2 * m2) + (6 * m2 * s2) + (3 * s2 * s2)));
        }

        return new TrialReturns(BlockReturns.FromBlocks(blocks), null);
    }
}
