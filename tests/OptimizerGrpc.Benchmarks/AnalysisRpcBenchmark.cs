using System.Diagnostics;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Core.Randomness;
using OptimizerGrpc.Testing;

namespace OptimizerGrpc.Benchmarks;

/// <summary>
/// The end-to-end part of <see cref="AnalysisBenchmark"/>: an <c>optimizer serve</c> child process on loopback (as
/// <see cref="ThroughputBenchmark"/> starts it; durability normal), a 5-parameter random-search study maximising the
/// server-computed sharpe_ratio, every trial told over the Work stream with a 600-point equity curve (normal returns
/// around <see cref="AnalysisBenchmark.Drift"/>), then AnalyzeStudy timed: the first call, which the figure reports,
/// and a second one for comparison.
/// </summary>
internal static class AnalysisRpcBenchmark
{
    private const int Points = 600;
    private const int Streams = 2, Capacity = 64;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Runs the study and returns the first AnalyzeStudy call's wall time, in seconds.</summary>
    public static async Task<double> RunAsync(int trials)
    {
        string dir = Directory.CreateTempSubdirectory("optimizer-bench-analysis-").FullName;
        try
        {
            string storage = Path.Combine(dir, "analysis.db");
            using var server = await ServerProcess.StartAsync(storage, StartTimeout, "normal");
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(20));
            await server.Client.CreateStudyAsync(new CreateStudyRequest { StudyId = "an", Spec = Spec(trials) }, cancellationToken: cts.Token);

            var tell = Stopwatch.StartNew();
            BenchWorker.ResetAccepted();
            var workers = Enumerable.Range(0, Streams).Select(i => new BenchWorker(server.Client, $"a{i}", "an", Capacity, Backtest));
            await Task.WhenAll(workers.Select(w => Task.Run(() => w.RunAsync(cts.Token))));
            double tellSeconds = tell.Elapsed.TotalSeconds;
            var study = (await server.Client.GetStudyAsync(new GetStudyRequest { StudyId = "an" }, cancellationToken: cts.Token)).Study;
            if (study.State != StudyState.Completed || study.Counts.Completed != trials)
            {
                throw new InvalidOperationException($"study ended {study.State} with {study.Counts}");
            }

            var first = Stopwatch.StartNew();
            var analysis = (await server.Client.AnalyzeStudyAsync(new AnalyzeStudyRequest { StudyId = "an" }, cancellationToken: cts.Token)).Analysis;
            double firstSeconds = first.Elapsed.TotalSeconds;
            var second = Stopwatch.StartNew();
            await server.Client.AnalyzeStudyAsync(new AnalyzeStudyRequest { StudyId = "an" }, cancellationToken: cts.Token);
            double secondSeconds = second.Elapsed.TotalSeconds;

            var stage = analysis.Stages[0];
            Console.WriteLine($"{"server (" + trials.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " trials, " + Points + "-point records)",-40} {"seconds",8}");
            Console.WriteLine($"{"tell over " + Streams + " Work streams",-40} {tellSeconds,8:F2}   ({trials / tellSeconds:F0} trials/s; file {new FileInfo(storage).Length / 1048576.0:F0} MiB)");
            Console.WriteLine($"{"AnalyzeStudy, first call",-40} {firstSeconds,8:F3}");
            Console.WriteLine($"{"AnalyzeStudy, second call",-40} {secondSeconds,8:F3}");
            Console.WriteLine($"  stage {stage.StageId}: {stage.CompletedTrials:N0} trials, most important {stage.Importance[0].Parameter}; " +
                              $"winner DSR {stage.Overfitting.Winner?.DeflatedSharpeRatio:F3} (N {stage.Overfitting.Winner?.Trials:N0}); " +
                              $"PBO {stage.Overfitting.Pbo?.Probability:F3} over {stage.Overfitting.Pbo?.Combinations:N0} splits; server RSS {server.RssMb():F0} MiB");
            Console.WriteLine();
            return firstSeconds;
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>A 600-point equity curve from 1, its returns normal around the parameters' drift, seeded by the trial number.</summary>
    private static TrialOutcome Backtest(Trial trial)
    {
        var p = trial.Params;
        double drift = AnalysisBenchmark.Drift(
            p["t.fast"].IntValue, p["t.slow"].IntValue, p["t.threshold"].FloatValue, p["t.rate"].FloatValue,
            Array.IndexOf(AnalysisBenchmark.Kinds, p["t.kind"].StringValue));
        var rng = new Xoshiro256StarStar((ulong)trial.Number + 1);
        var record = new BacktestRecord();
        double equity = 1;
        record.Equity.Add(equity);
        for (int t = 1; t < Points; t++)
        {
            equity *= 1 + drift + (AnalysisBenchmark.Sigma * rng.NextGaussian());
            record.Equity.Add(equity);
        }

        return new TrialOutcome { Record = record };
    }

    internal static StudySpec Spec(long maxTrials)
    {
        var target = new Target { Name = "t", Kind = TargetKind.Custom };
        target.Parameters.Add(new Parameter { Name = "fast", IntRange = new IntRange { Low = 2, High = 100 } });
        target.Parameters.Add(new Parameter { Name = "slow", IntRange = new IntRange { Low = 20, High = 400, Step = 5 } });
        target.Parameters.Add(new Parameter { Name = "threshold", FloatRange = new FloatRange { Low = 0, High = 1 } });
        target.Parameters.Add(new Parameter { Name = "rate", FloatRange = new FloatRange { Low = 1e-4, High = 1e-1, Log = true } });
        var kind = new Categorical();
        kind.Choices.Add(AnalysisBenchmark.Kinds);
        target.Parameters.Add(new Parameter { Name = "kind", Categorical = kind });
        var spec = new StudySpec
        {
            DisplayName = "analysis benchmark",
            Method = new MethodSpec { Random = new RandomSearchSettings(), Seed = 1 },
            MaxTrials = maxTrials,
            MetricSettings = new MetricSettings { AnnualizationFactor = 252 },
        };
        spec.Targets.Add(target);
        spec.Objectives.Add(new Objective { Metric = "sharpe_ratio", Direction = Direction.Maximize });
        return spec;
    }
}
