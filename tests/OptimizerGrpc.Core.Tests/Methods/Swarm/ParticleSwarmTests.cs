using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Methods.Swarm;
using OptimizerGrpc.Core.Spaces;
using static OptimizerGrpc.Core.Tests.Methods.MethodHarness;

namespace OptimizerGrpc.Core.Tests.Methods.Swarm;

public sealed class ParticleSwarmTests
{
    private static ParticleSwarm MixedPso(ulong seed) =>
        new(MixedSpace, new ParticleSwarmSettings(SwarmSize: 12, Iterations: 10), FastBelowSlow, seed);

    [Fact]
    public void Ask_MixedSpaceWithConstraint_EveryProposalInItsDomainAndFeasible()
    {
        var harness = new MethodHarness(MixedPso(3), MixedObjective).Run(budget: 10_000, batch: 5);

        Assert.True(harness.Method.IsExhausted);
        Assert.Equal(12 * 10, harness.Evaluations);
        Assert.All(harness.Proposals, p =>
        {
            Assert.True(FastBelowSlow(p), $"{string.Join(',', p)} breaks fast < slow");
            for (int i = 0; i < MixedSpace.Count; i++)
            {
                Assert.True(MixedSpace.Parameters[i].Domain.Contains(p[i]), $"{p[i]} not in {MixedSpace.Parameters[i].Domain}");
            }
        });
    }

    [Fact]
    public void Ask_BoundaryOptimum_ProposalsStayInsideTheRange()
    {
        // The optimum sits on the upper bound of both floats and past the end of the log range, so particles hit the walls.
        var space = new SearchSpace(
        [
            new SearchParameter("t.x", new FloatDomain(0.1, 0.3, null, false)),
            new SearchParameter("t.l", new FloatDomain(1e-3, 7e-1, null, true)),
        ]);
        var pso = new ParticleSwarm(space, new ParticleSwarmSettings(SwarmSize: 10, Iterations: 20), null, 8);

        var harness = new MethodHarness(pso, p => Completed(p, p[0].AsFloat + p[1].AsFloat)).Run(10_000, 10);

        Assert.All(harness.Proposals, p => Assert.True(space.Parameters[0].Domain.Contains(p[0]) && space.Parameters[1].Domain.Contains(p[1])));
        Assert.Equal(0.3 + 0.7, harness.BestScore, 6);
    }

    [Fact]
    public void Ask_SameSeedAndCalls_SameProposals_DifferentSeed_Different()
    {
        static string Run(ulong seed) => Format(new MethodHarness(MixedPso(seed), MixedObjective).Run(100, 5).Proposals);

        Assert.Equal(Run(5), Run(5));
        Assert.NotEqual(Run(5), Run(6));
    }

    [Fact]
    public void ReadSnapshot_MidIterationWithPendingProposals_ContinuesTheUninterruptedTrajectory()
    {
        var uninterrupted = new MethodHarness(MixedPso(11), MixedObjective).Run(budget: 10_000, batch: 5);

        var interrupted = new MethodHarness(MixedPso(11), MixedObjective);
        for (int step = 0; step < 7; step++)
        {
            interrupted.Step(5);
        }

        Assert.NotEmpty(interrupted.Outstanding);
        Assert.True(((ParticleSwarm)interrupted.Method).Iteration > 0);
        interrupted.Method = RoundTrip(interrupted.Method, MixedPso(seed: 12345));
        // After a restart the engine rebuilds assignments from storage: equal values, new arrays.
        for (int i = 0; i < interrupted.Outstanding.Count; i++)
        {
            interrupted.Outstanding[i] = (ParamValue[])interrupted.Outstanding[i].Clone();
        }

        interrupted.Run(budget: 10_000, batch: 5);

        Assert.Equal(Format(uninterrupted.Proposals), Format(interrupted.Proposals));
        Assert.Equal(uninterrupted.Evaluations, interrupted.Evaluations);
    }

    [Fact]
    public void Ask_IterationOut_ReturnsZeroUntilEveryParticleIsTold()
    {
        var pso = new ParticleSwarm(UnitSquare, new ParticleSwarmSettings(SwarmSize: 5, Iterations: 2), null, 1);
        var first = new List<ParamValue[]>();
        Assert.Equal(5, pso.Ask(100, first));

        foreach (var p in first.Take(4))
        {
            pso.Tell(Sphere(p));
            Assert.Equal(0, pso.Ask(100, []));
            Assert.False(pso.Starved);
        }

        pso.Tell(Sphere(first[4]));
        Assert.Equal(1, pso.Iteration);
        Assert.Equal(5, pso.Ask(100, []));
        Assert.False(pso.IsExhausted);
    }

    [Fact]
    public void IsExhausted_AfterTheLastIterationIsTold()
    {
        var pso = new ParticleSwarm(UnitSquare, new ParticleSwarmSettings(SwarmSize: 4, Iterations: 3), null, 1);

        var harness = new MethodHarness(pso, Sphere).Run(budget: 1000, batch: 3);

        Assert.True(pso.IsExhausted);
        Assert.Equal(12, harness.Evaluations);
        Assert.Equal(0, pso.Ask(10, []));
    }

    [Fact]
    public void Tell_FailedInfeasiblePrunedAndNaN_NeverBecomeTheGlobalBest()
    {
        var pso = new ParticleSwarm(UnitSquare, new ParticleSwarmSettings(SwarmSize: 5, Iterations: 3), null, 2);
        var it0 = new List<ParamValue[]>();
        pso.Ask(5, it0);

        pso.Tell(new Observation(it0[0], [], ObservationKind.Failed));
        pso.Tell(new Observation(it0[1], [], ObservationKind.Infeasible));
        pso.Tell(new Observation(it0[2], [], ObservationKind.Pruned));
        pso.Tell(Completed(it0[3], double.NaN));
        pso.Tell(new Observation(it0[4], [], ObservationKind.Failed));
        Assert.Equal(double.NegativeInfinity, pso.GlobalBestFitness);

        var it1 = new List<ParamValue[]>();
        pso.Ask(5, it1);
        pso.Tell(Completed(it1[0], -7));
        foreach (var p in it1.Skip(1))
        {
            pso.Tell(new Observation(p, [], ObservationKind.Failed));
        }

        Assert.Equal(-7, pso.GlobalBestFitness);
    }

    [Fact]
    public void Ask_NothingFeasible_ReturnsFewerAndReportsStarved()
    {
        var pso = new ParticleSwarm(UnitSquare, new ParticleSwarmSettings(), _ => false, 1);

        Assert.Equal(0, pso.Ask(5, []));
        Assert.True(pso.Starved);
    }

    [Fact]
    public void Ask_IntRangeWithSmallSteps_PositionAccumulatesBetweenSnappedValues()
    {
        // The optimum 7 is reachable only if sub-step moves are kept in the continuous position.
        var space = new SearchSpace([new SearchParameter("t.n", new IntDomain(0, 20, 1))]);
        var pso = new ParticleSwarm(space, new ParticleSwarmSettings(SwarmSize: 6, Iterations: 15), null, 3);

        var harness = new MethodHarness(pso, p => Completed(p, -Math.Abs(p[0].AsInt - 7))).Run(1000, 6);

        Assert.All(harness.Proposals, p => Assert.InRange(p[0].AsInt, 0, 20));
        Assert.Equal(0, harness.BestScore);
    }

    [Fact]
    public void Sphere_600Evaluations_BestWithin001OfOptimumAndFarBetterThanRandomSearch()
    {
        const ulong seed = 2024;
        var pso = new MethodHarness(new ParticleSwarm(UnitSquare, new ParticleSwarmSettings(), null, seed), Sphere).Run(600, 30);
        var random = new MethodHarness(new RandomSearch(UnitSquare, null, seed), Sphere).Run(600, 30);

        Assert.Equal(600, pso.Evaluations);
        double distance = Math.Sqrt(-pso.BestScore);
        Assert.True(distance < 0.01, $"PSO best is {distance} from the optimum");
        Assert.True(pso.BestScore > 10 * random.BestScore, $"PSO {pso.BestScore} vs random {random.BestScore}");
    }

    [Fact]
    public void Validate_Defaults_AreValid_AndOutOfRangeSettingsNameFieldAndRange()
    {
        var defaults = new ParticleSwarmSettings();
        Assert.Empty(ParticleSwarmSettings.Validate(defaults));
        Assert.Equal((30, 50, 0.7298, 1.49618, 1.49618, 0.2),
            (defaults.SwarmSize, defaults.Iterations, defaults.Inertia, defaults.Cognitive, defaults.Social, defaults.MaxVelocityFraction));

        var violations = ParticleSwarmSettings.Validate(new ParticleSwarmSettings(0, 0, 1.2, -1, 4.5, 0));

        Assert.Equal(
            [
                new SettingsViolation("swarm_size", "must be between 1 and 100000, got 0"),
                new SettingsViolation("iterations", "must be between 1 and 1000000, got 0"),
                new SettingsViolation("inertia", "must be between 0 and 1, got 1.2"),
                new SettingsViolation("cognitive", "must be between 0 and 4, got -1"),
                new SettingsViolation("social", "must be between 0 and 4, got 4.5"),
                new SettingsViolation("max_velocity_fraction", "must be greater than 0 and at most 1, got 0"),
            ],
            violations);
        Assert.Throws<ArgumentException>(() => new ParticleSwarm(UnitSquare, new ParticleSwarmSettings(SwarmSize: 0), null, 1));
    }

    [Fact]
    public void Create_ParticleSwarmSettings_BuildsAParticleSwarm() =>
        Assert.IsType<ParticleSwarm>(SearchMethods.Create(new ParticleSwarmSettings(), UnitSquare, null, 1));
}
