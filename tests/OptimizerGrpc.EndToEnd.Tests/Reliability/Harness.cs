using System.Globalization;
using Grpc.Health.V1;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Testing;

namespace OptimizerGrpc.EndToEnd.Tests.Reliability;

/// <summary>Shared pieces of the reliability suite: a temp folder, deterministic studies, checks of a healthy server.</summary>
internal sealed class Harness : IDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    public string Dir { get; } = Directory.CreateTempSubdirectory("optimizer-rel-").FullName;

    public string Db(string name) => Path.Combine(Dir, name + ".db");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A grid study over three integer parameters (<paramref name="points"/> = 10 x 10 x n): deterministic.</summary>
    public static StudySpec Grid(int lastAxis, TimeSpan? lease = null)
    {
        var target = new Target { Name = "t", Kind = TargetKind.Custom };
        target.Parameters.Add(new Parameter { Name = "a", IntRange = new IntRange { Low = 0, High = 9 } });
        target.Parameters.Add(new Parameter { Name = "b", IntRange = new IntRange { Low = 0, High = 9 } });
        target.Parameters.Add(new Parameter { Name = "c", IntRange = new IntRange { Low = 0, High = lastAxis - 1 } });
        var spec = new StudySpec
        {
            DisplayName = "reliability grid",
            Method = new MethodSpec { Grid = new GridSearchSettings(), Seed = 1 },
            MaxAttempts = 10, // a trial running at several kills must not run out of attempts
            LeaseDuration = lease is { } l ? Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(l) : null,
        };
        spec.Targets.Add(target);
        spec.Objectives.Add(new Objective { Metric = "y", Direction = Direction.Maximize });
        return spec;
    }

    /// <summary>A deterministic objective of any trial: integer and float parameters alike.</summary>
    public static double Objective(Trial trial)
    {
        double y = 0;
        foreach (var (name, p) in trial.Params.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            double x = p.KindCase == ParameterValue.KindOneofCase.IntValue ? p.IntValue : p.FloatValue;
            y -= (x - 3.3) * (x - 3.3) * (name.Length % 3 + 1);
        }

        return y;
    }

    /// <summary>The trial's assignment as one comparable string ("t.a=1,t.b=2,...").</summary>
    public static string Key(Trial trial) => string.Join(',', trial.Params.OrderBy(kv => kv.Key, StringComparer.Ordinal)
        .Select(kv => kv.Key + "=" + (kv.Value.KindCase == ParameterValue.KindOneofCase.IntValue
            ? kv.Value.IntValue.ToString(CultureInfo.InvariantCulture)
            : kv.Value.FloatValue.ToString("R", CultureInfo.InvariantCulture))));

    /// <summary>The server answers its health check SERVING and lost no line to an unexpected error.</summary>
    public static async Task AssertHealthyAsync(ServerProcess server)
    {
        Assert.False(server.HasExited, "the server process exited:\n" + string.Join('\n', server.Output));
        var health = await new Health.HealthClient(server.Channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(10));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.DoesNotContain(server.Output, line => line.Contains("Unexpected error", StringComparison.Ordinal) || line.Contains("FTL", StringComparison.Ordinal));
    }

    /// <summary>Runs a small study to completion with two Work-stream workers: the server still does its job.</summary>
    public static async Task AssertStudyCompletesAsync(ServerProcess server, string studyId, CancellationToken ct)
    {
        await server.Client.CreateStudyAsync(new CreateStudyRequest { StudyId = studyId, Spec = Grid(2) }, cancellationToken: ct);
        var workers = Enumerable.Range(0, 2).Select(i => new WorkLoop($"{studyId}-w{i}", studyId, 8, Objective, _ => Task.FromResult(server.Client))).ToList();
        await Task.WhenAll(workers.Select(w => w.RunAsync(ct))).WaitAsync(TimeSpan.FromSeconds(30), ct);
        var study = (await server.Client.GetStudyAsync(new GetStudyRequest { StudyId = studyId }, cancellationToken: ct)).Study;
        Assert.Equal(StudyState.Completed, study.State);
        Assert.Equal(200, study.Counts.Completed);
    }
}
