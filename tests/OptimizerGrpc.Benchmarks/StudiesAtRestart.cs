using System.Diagnostics;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Testing;

namespace OptimizerGrpc.Benchmarks;

/// <summary>
/// Restart cost of a store with many studies: builds <c>count</c> small studies through a real <c>optimizer serve</c>,
/// stops it gracefully (SIGTERM), starts it again on the same file and measures seconds to the "listening" line and
/// the RSS once listening. A minimal stand-in with the signature of the limits branch's helper (same path): on a merge, take that one.
/// </summary>
internal static class StudiesAtRestart
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(300);

    public static async Task<(double Seconds, double RssMb)> MeasureAsync(int count, string? dll = null)
    {
        string dir = Directory.CreateTempSubdirectory("optimizer-restart-").FullName;
        try
        {
            string storage = Path.Combine(dir, "studies.db");
            using (var server = await ServerProcess.StartAsync(storage, StartTimeout, dll: dll))
            {
                var spec = new StudySpec { DisplayName = "restart", Method = new MethodSpec { Random = new RandomSearchSettings(), Seed = 1 }, MaxTrials = 100 };
                var target = new Target { Name = "t", Kind = TargetKind.Custom };
                target.Parameters.Add(new Parameter { Name = "x", FloatRange = new FloatRange { Low = 0, High = 1 } });
                spec.Targets.Add(target);
                spec.Objectives.Add(new Objective { Metric = "y", Direction = Direction.Maximize });
                for (int i = 0; i < count; i += 32)
                {
                    await Task.WhenAll(Enumerable.Range(i, Math.Min(32, count - i)).Select(n =>
                        server.Client.CreateStudyAsync(new CreateStudyRequest { StudyId = $"s{n}", Spec = spec }).ResponseAsync));
                }

                if (await server.TerminateAsync(TimeSpan.FromSeconds(60)) is null)
                {
                    throw new InvalidOperationException("the server did not stop on SIGTERM");
                }
            }

            var clock = Stopwatch.StartNew();
            using var restarted = await ServerProcess.StartAsync(storage, StartTimeout, dll: dll);
            double seconds = clock.Elapsed.TotalSeconds;
            await restarted.Client.GetStudyAsync(new GetStudyRequest { StudyId = $"s{count - 1}" });
            return (seconds, restarted.RssMb());
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
}
