using System.Numerics;
using Grpc.Core;
using OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Server.Tests.Api;

/// <summary>
/// Ranges at the limits: the widest accepted ranges hand out values inside their domains with every method, and the
/// ones past the limits (more than 2^53 values, a float width that overflows, a step finer than 2^53 points) are refused.
/// </summary>
public sealed class ExtremeRangeTests
{
    // [long.MinValue, long.MaxValue] by 2^11 has exactly 2^53 values, the most an int range may have.
    private const long WideStep = 1L << 11;
    private const long TopLow = long.MaxValue - (1L << 53) + 1;

    public static TheoryData<string> Methods => new("random", "grid", "bayesian", "genetic", "particle_swarm", "nsga2", "hierarchical");

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task AskTrials_WidestAcceptedRanges_EveryValueInsideItsDomain(string method)
    {
        await using var host = await TestServerHost.StartAsync();
        var spec = new StudySpec
        {
            Targets =
            {
                Specs.Target("a", Specs.Int("wide", long.MinValue, long.MaxValue, step: WideStep), Specs.Int("top", TopLow, long.MaxValue)),
                Specs.Target("b", Specs.Float("huge", -8e307, 8e307), Specs.Float("logged", 1e-300, 1e300, log: true), Specs.Float("fine", 0, 1, step: 1.0 / (1L << 52))),
            },
            Objectives = { new Objective { Metric = Specs.Metric, Direction = Direction.Maximize } },
            MaxTrials = 16,
            Method = method switch
            {
                "grid" => new MethodSpec { Grid = new GridSearchSettings { Shuffle = true } },
                "bayesian" => new MethodSpec { Bayesian = new BayesianSettings { NInitial = 4 } },
                "genetic" => new MethodSpec { Genetic = new GeneticSettings { PopulationSize = 4, Generations = 4 } },
                "particle_swarm" => new MethodSpec { ParticleSwarm = new ParticleSwarmSettings { SwarmSize = 4, Iterations = 4 } },
                "nsga2" => new MethodSpec { Nsga2 = new Nsga2Settings { PopulationSize = 4, Generations = 4 } },
                _ => new MethodSpec { Random = new RandomSearchSettings() },
            },
        };
        spec.Method.Seed = 3;
        if (method == "grid")
        {
            // A grid's size is the product of its parameters' sizes and must stay below 2^63: keep one 2^53-value range.
            spec.Targets[0].Parameters.RemoveAt(1);
            spec.Targets[1].Parameters.RemoveAt(2);
        }

        if (method == "nsga2")
        {
            spec.Objectives.Add(new Objective { Metric = "total_return", Direction = Direction.Maximize });
        }

        if (method == "hierarchical")
        {
            spec.Sequence = new SequenceSpec
            {
                Hierarchical = new HierarchicalSequence
                {
                    Outer = new StageSpec { Targets = { "a" }, MaxTrials = 3, Method = new MethodSpec { Genetic = new GeneticSettings { PopulationSize = 4, Generations = 2, EliteCount = 1, TournamentSize = 2 } } },
                    Inner = new StageSpec { Targets = { "b" }, MaxTrials = 3, Method = new MethodSpec { Bayesian = new BayesianSettings { NInitial = 2 } } },
                },
            };
        }

        await host.Client.CreateAsync("s", spec);
        int seen = 0;
        for (int round = 0; round < 8; round++)
        {
            var trials = await host.Client.AskAsync("s", 4);
            foreach (var trial in trials)
            {
                AssertInside(trial);
                seen++;
                var outcome = Specs.Value(trial.Number % 5);
                outcome.Values["total_return"] = -(trial.Number % 3);
                await host.Client.TellAsync(trial, outcome);
            }
        }

        Assert.True(seen >= 8, $"only {seen} trials were handed out");
        var study = await host.Client.GetAsync("s");
        Assert.Equal(0, study.Counts.Failed);
        Assert.NotEqual(StudyState.Failed, study.State);
    }

    private static void AssertInside(Trial trial)
    {
        long wide = trial.Params["a.wide"].IntValue;
        Assert.Equal(BigInteger.Zero, (new BigInteger(wide) - long.MinValue) % WideStep);
        if (trial.Params.TryGetValue("a.top", out var top))
        {
            Assert.InRange(top.IntValue, TopLow, long.MaxValue);
        }

        Assert.InRange(trial.Params["b.huge"].FloatValue, -8e307, 8e307);
        Assert.InRange(trial.Params["b.logged"].FloatValue, 1e-300, 1e300);
        if (trial.Params.TryGetValue("b.fine", out var fine))
        {
            Assert.InRange(fine.FloatValue, 0, 1);
        }
    }

    public static TheoryData<string> TooWide => new(TooWideRanges.Keys);

    private static readonly Dictionary<string, (Parameter Parameter, string Field)> TooWideRanges = new()
    {
        ["int [0, 2^63-1]"] = (Specs.Int("x", 0, long.MaxValue), "int_range"),
        ["int [min, max]"] = (Specs.Int("x", long.MinValue, long.MaxValue), "int_range"),
        ["int 2^53 + 1 values"] = (Specs.Int("x", 0, 1L << 53), "int_range"),
        ["float +-1e308"] = (Specs.Float("x", -1e308, 1e308), "float_range"),
        ["float infinite high"] = (Specs.Float("x", 0, double.PositiveInfinity), "float_range.high"),
        ["float NaN low"] = (Specs.Float("x", double.NaN, 1), "float_range.low"),
        ["float step 1e-300"] = (Specs.Float("x", 0, 1, step: 1e-300), "float_range.step"),
        ["float step 2^-53"] = (Specs.Float("x", 0, 1, step: 1.0 / (1L << 53)), "float_range.step"),
        ["float step infinite"] = (Specs.Float("x", 0, 1, step: double.PositiveInfinity), "float_range.step"),
    };

    [Theory]
    [MemberData(nameof(TooWide))]
    public async Task CreateStudy_RangeBeyondTheLimits_InvalidArgumentOnTheRangeAndNothingStored(string problem)
    {
        await using var host = await TestServerHost.StartAsync();
        var (parameter, field) = TooWideRanges[problem];
        foreach (var method in new[] { new MethodSpec { Random = new RandomSearchSettings() }, new MethodSpec { Grid = new GridSearchSettings() }, new MethodSpec { Bayesian = new BayesianSettings() } })
        {
            var spec = Specs.Random(10);
            spec.Method = method;
            spec.Targets[0].Parameters.Add(parameter);

            var ex = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateStudyAsync(new CreateStudyRequest { StudyId = "s", Spec = spec }).ResponseAsync);

            Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
            Assert.Contains("spec.targets[0].parameters[2]." + field, ValidationAsserts.Violations(ex));
        }

        await ValidationAsserts.NothingStoredAsync(host);
    }
}
