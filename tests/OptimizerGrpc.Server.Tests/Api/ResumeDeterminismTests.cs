using OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Server.Tests.Api;

/// <summary>
/// A seeded study killed mid-run and restarted on the same file issues exactly the trials (numbers and
/// parameters) an uninterrupted run issues, for every method: the method's whole state travels with the study.
/// </summary>
public sealed class ResumeDeterminismTests
{
    private const int Trials = 60;
    private const int RestartAfter = 23;

    // "genetic_discrete" searches a fully discrete space, where repeated proposals reuse stored results (rebuilt on restart).
    // "default" names no method: a new study gets auto (on this space, one float, one stepped float and an int: TPE with
    // local proposals). "tpe_log_scale" searches the int (1..9, a ratio of 9) on a log scale. "tpe_late_local" raises its
    // share of local proposals after 15 completed trials, before the restart, so the resumed study must count them again.
    // "tpe_second_basin" centres half its local proposals on a second basin, picked again from the restored trials.
    public static TheoryData<string> Methods =>
        ["grid", "random", "genetic", "genetic_discrete", "particle_swarm", "bayesian", "bayesian_warped", "tpe", "tpe_univariate", "tpe_local", "tpe_log_scale", "tpe_late_local", "tpe_second_basin", "auto", "default"];

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task Restart_MidRunWithALeasedTrial_SameTrialsAsAnUninterruptedRun(string method)
    {
        await using var host = await TestServerHost.StartAsync();
        await host.Client.CreateAsync("uninterrupted", Spec(method));
        var expected = await RunAsync(host, "uninterrupted", Trials);

        await host.Client.CreateAsync("interrupted", Spec(method));
        var actual = await RunAsync(host, "interrupted", RestartAfter);
        var leased = Assert.Single(await host.Client.AskAsync("interrupted", 1));
        await host.RestartAsync();
        var requeued = Assert.Single(await host.Client.AskAsync("interrupted", 1));
        Assert.Equal(leased.Number, requeued.Number);
        Assert.Equal(2, requeued.Attempt);
        await host.Client.TellAsync(requeued, Specs.Value(Objective(requeued)));
        actual.Add(Key(requeued));
        actual.AddRange(await RunAsync(host, "interrupted", Trials - RestartAfter - 1));

        Assert.Equal(expected, actual);
    }

    private static StudySpec Spec(string method)
    {
        var spec = new StudySpec
        {
            DisplayName = method,
            Targets = { Specs.Target("f", Specs.Float("x", -2, 2, step: method == "genetic_discrete" ? 0.5 : null), Specs.Float("y", -2, 2, step: 0.25), Specs.Int("n", 1, 9)) },
            Objectives = { new Objective { Metric = Specs.Metric, Direction = Direction.Maximize } },
            Constraints = { new Constraint { Name = "band", Relationship = new RelationshipConstraint { Expression = "f.x + f.y < 3" } } },
            MaxTrials = Trials,
        };
        spec.Method = method switch
        {
            "grid" => new MethodSpec { Grid = new GridSearchSettings { FloatPoints = 5, Shuffle = true } },
            "random" => new MethodSpec { Random = new RandomSearchSettings() },
            "genetic" or "genetic_discrete" => new MethodSpec { Genetic = new GeneticSettings { PopulationSize = 8, Generations = 20 } },
            "bayesian" => new MethodSpec { Bayesian = new BayesianSettings { NInitial = 8 } },
            "bayesian_warped" => new MethodSpec { Bayesian = new BayesianSettings { NInitial = 8, OutputWarping = true } },
            "tpe" => new MethodSpec { Tpe = new TpeSettings { NStartupTrials = 8 } },
            "tpe_univariate" => new MethodSpec { Tpe = new TpeSettings { NStartupTrials = 8, Multivariate = false } },
            "tpe_local" => new MethodSpec { Tpe = new TpeSettings { NStartupTrials = 8, LocalFraction = 0.5 } },
            "tpe_log_scale" => new MethodSpec { Tpe = new TpeSettings { NStartupTrials = 8, LocalFraction = 0.5, LogScaleRatio = 2 } },
            "tpe_late_local" => new MethodSpec { Tpe = new TpeSettings { NStartupTrials = 8, LocalFraction = 0.35, LateLocalFraction = 0.8, LateAfter = 15 } },
            "tpe_second_basin" => new MethodSpec { Tpe = new TpeSettings { NStartupTrials = 8, LocalFraction = 0.5, SecondBasinFraction = 0.5 } },
            "auto" => new MethodSpec { Auto = new AutoSettings() },
            "default" => new MethodSpec(),
            _ => new MethodSpec { ParticleSwarm = new ParticleSwarmSettings { SwarmSize = 6, Iterations = 20 } },
        };
        spec.Method.Seed = 2024;
        return spec;
    }

    private static double Objective(Trial t) =>
        -Math.Pow(t.Params["f.x"].FloatValue - 0.5, 2) - Math.Pow(t.Params["f.y"].FloatValue + 0.25, 2) - (0.1 * t.Params["f.n"].IntValue);

    private static string Key(Trial t) =>
        $"{t.Number}:{t.Params["f.x"].FloatValue:R},{t.Params["f.y"].FloatValue:R},{t.Params["f.n"].IntValue}";

    // Asks one trial at a time and tells its objective, so the call sequence is the same in both runs.
    private static async Task<List<string>> RunAsync(TestServerHost host, string id, int count)
    {
        var keys = new List<string>();
        while (keys.Count < count)
        {
            var trial = Assert.Single(await host.Client.AskAsync(id, 1));
            await host.Client.TellAsync(trial, Specs.Value(Objective(trial)));
            keys.Add(Key(trial));
        }

        return keys;
    }
}
