using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Methods.MultiObjective;
using OptimizerGrpc.Core.Spaces;
using static OptimizerGrpc.Core.Tests.Methods.MethodHarness;

namespace OptimizerGrpc.Core.Tests.Methods.MultiObjective;

public sealed class Nsga2Tests
{
    private static Nsga2 MixedNsga(ulong seed, Nsga2Settings? settings = null) =>
        new(MixedSpace, settings ?? new Nsga2Settings(PopulationSize: 20, Generations: 8), FastBelowSlow, seed);

    private static Observation Told(ParamValue[] p, params double[] scores) => new(p, scores, ObservationKind.Completed);

    [Fact]
    public void Ask_MixedSpaceWithConstraint_EveryProposalInItsDomainAndFeasible_EveryGenerationCostsThePopulation()
    {
        var harness = new MethodHarness(MixedNsga(3), MixedObjectives).Run(budget: 10_000, batch: 7);

        Assert.True(harness.Method.IsExhausted);
        Assert.Equal(20 * 8, harness.Evaluations);
        Assert.All(harness.Proposals, p =>
        {
            Assert.True(FastBelowSlow(p), $"{string.Join(',', p)} breaks fast < slow");
            for (int i = 0; i < MixedSpace.Count; i++)
            {
                Assert.True(MixedSpace.Parameters[i].Domain.Contains(p[i]), $"{p[i]} not in {MixedSpace.Parameters[i].Domain}");
            }
        });
        Assert.Equal(3, harness.Proposals.Select(p => p[5]).Distinct().Count());
    }

    [Fact]
    public void Ask_SameSeedAndCalls_SameProposals_DifferentSeed_Different()
    {
        static string Run(ulong seed) => Format(new MethodHarness(MixedNsga(seed), MixedObjectives).Run(300, 9).Proposals);

        Assert.Equal(Run(5), Run(5));
        Assert.NotEqual(Run(5), Run(6));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(9)]
    [InlineData(14)]
    [InlineData(23)]
    public void ReadSnapshot_MidGenerationWithPendingProposals_ContinuesTheUninterruptedTrajectory(int steps)
    {
        var uninterrupted = new MethodHarness(MixedNsga(11), MixedObjectives).Run(budget: 10_000, batch: 7);

        var interrupted = new MethodHarness(MixedNsga(11), MixedObjectives);
        for (int step = 0; step < steps; step++)
        {
            interrupted.Step(7);
        }

        Assert.NotEmpty(interrupted.Outstanding);
        interrupted.Method = RoundTrip(interrupted.Method, MixedNsga(seed: 12345));
        // After a restart the engine rebuilds assignments from storage: equal values, new arrays.
        for (int i = 0; i < interrupted.Outstanding.Count; i++)
        {
            interrupted.Outstanding[i] = (ParamValue[])interrupted.Outstanding[i].Clone();
        }

        interrupted.Run(budget: 10_000, batch: 7);

        Assert.Equal(Format(uninterrupted.Proposals), Format(interrupted.Proposals));
        Assert.Equal(uninterrupted.Evaluations, interrupted.Evaluations);
    }

    [Fact]
    public void ReadSnapshot_OtherPopulationSize_Throws()
    {
        var nsga = MixedNsga(1);
        nsga.Ask(5, []);

        Assert.Throws<InvalidDataException>(() => RoundTrip(nsga, MixedNsga(1, new Nsga2Settings(PopulationSize: 21))));
    }

    [Fact]
    public void Ask_GenerationOut_ReturnsZeroUntilEveryIndividualIsTold_ThenAWholeNewGeneration()
    {
        var nsga = new Nsga2(UnitSquare, new Nsga2Settings(PopulationSize: 10, Generations: 3), null, 1);
        var first = new List<ParamValue[]>();
        Assert.Equal(6, nsga.Ask(6, first));
        Assert.Equal(4, nsga.Ask(100, first));

        foreach (var p in first.Take(9))
        {
            nsga.Tell(Told(p, p[0].AsFloat, p[1].AsFloat));
            Assert.Equal(0, nsga.Ask(100, []));
            Assert.False(nsga.Starved);
            Assert.Equal(0, nsga.Generation);
        }

        nsga.Tell(Told(first[9], first[9][0].AsFloat, first[9][1].AsFloat));

        Assert.Equal(1, nsga.Generation);
        Assert.Equal(10, nsga.Parents.Count());
        Assert.Equal(10, nsga.Ask(100, [])); // parents survive with their scores; all ten children are new
    }

    [Fact]
    public void IsExhausted_AfterTheLastGenerationIsTold_AndNotBefore()
    {
        var nsga = new Nsga2(UnitSquare, new Nsga2Settings(PopulationSize: 4, Generations: 3), null, 1);

        var harness = new MethodHarness(nsga, p => Told(p, p[0].AsFloat, -p[0].AsFloat - p[1].AsFloat)).Run(budget: 1000, batch: 3);

        Assert.True(nsga.IsExhausted);
        Assert.Equal(3, nsga.Generation);
        Assert.Equal(12, harness.Evaluations);
        Assert.Equal(0, nsga.Ask(10, []));
    }

    [Fact]
    public void Advance_ParentsAndChildren_SurviveByRankThenCrowding()
    {
        var nsga = new Nsga2(UnitSquare, new Nsga2Settings(PopulationSize: 4, Generations: 5), null, 7);
        var gen0 = new List<ParamValue[]>();
        nsga.Ask(4, gen0);
        nsga.Tell(Told(gen0[0], 1, 4));
        nsga.Tell(new Observation(gen0[1], [], ObservationKind.Failed));
        nsga.Tell(new Observation(gen0[2], [], ObservationKind.Infeasible));
        nsga.Tell(Told(gen0[3], 0, 0));

        // Generation 0 alone: (1,4) is front 0, (0,0) front 1, then the infeasible, then the failed trial.
        Assert.Equal(
            [(gen0[0], 0), (gen0[3], 1), (gen0[2], 2), (gen0[1], 3)],
            nsga.Parents.Select(p => (p.Genes, p.Rank)));

        var gen1 = new List<ParamValue[]>();
        Assert.Equal(4, nsga.Ask(4, gen1));
        nsga.Tell(Told(gen1[0], 4, 1));
        nsga.Tell(Told(gen1[1], 2, 3.5));
        nsga.Tell(Told(gen1[2], 3, 3));
        nsga.Tell(Told(gen1[3], 5, 0.5));

        // Pool front 0: (1,4) (2,3.5) (3,3) (4,1) (5,0.5), one too many. Crowding, objective 0 (range 4):
        // 0.5 for each interior point; objective 1 (range 3.5): (2,3.5) 1/3.5, (3,3) 2.5/3.5, (4,1) 2.5/3.5.
        // (2,3.5) is the most crowded (0.786) and is cut; the extremes are infinite and kept first.
        var parents = nsga.Parents.ToList();
        Assert.Equal([gen0[0], gen1[3], gen1[0], gen1[2]], parents.Select(p => p.Genes));
        Assert.All(parents, p => Assert.Equal(0, p.Rank));
        Assert.Equal([double.PositiveInfinity, double.PositiveInfinity], parents.Take(2).Select(p => p.Crowding));
        Assert.Equal(0.5 + (2.5 / 3.5), parents[2].Crowding, 12);
        Assert.Equal(0.5 + (2.5 / 3.5), parents[3].Crowding, 12);
    }

    [Fact]
    public void Tell_InfeasibleRanksBelowEveryCompleted_FailedPrunedAndNaNBelowInfeasible()
    {
        var nsga = new Nsga2(UnitSquare, new Nsga2Settings(PopulationSize: 5, Generations: 2), null, 2);
        var gen0 = new List<ParamValue[]>();
        nsga.Ask(5, gen0);

        nsga.Tell(new Observation(gen0[0], [], ObservationKind.Pruned));
        nsga.Tell(Told(gen0[1], -1e9, -1e9));
        nsga.Tell(new Observation(gen0[2], [], ObservationKind.Infeasible));
        nsga.Tell(Told(gen0[3], double.NaN, 1));
        nsga.Tell(Told(gen0[4], -1e8, -1e10));

        Assert.Equal(
            [(gen0[1], 0, 0.0), (gen0[4], 0, 0.0), (gen0[2], 1, 1.0), (gen0[0], 2, double.PositiveInfinity), (gen0[3], 2, double.PositiveInfinity)],
            nsga.Parents.Select(p => (p.Genes, p.Rank, p.Violation)));
    }

    [Fact]
    public void Tell_UnknownOrRepeated_IsIgnored()
    {
        var nsga = new Nsga2(UnitSquare, new Nsga2Settings(PopulationSize: 2, Generations: 2), null, 1);
        var gen0 = new List<ParamValue[]>();
        nsga.Ask(2, gen0);

        nsga.Tell(Told([ParamValue.Float(0.123), ParamValue.Float(0.456)], 1, 1));
        nsga.Tell(Told(gen0[0], 1, 1));
        nsga.Tell(Told(gen0[0], 1, 1));

        Assert.Equal(0, nsga.Generation);
        nsga.Tell(Told(gen0[1], 1, 1));
        Assert.Equal(1, nsga.Generation);
    }

    [Fact]
    public void Tell_OtherNumberOfScoresThanEarlierTrials_Throws()
    {
        var nsga = new Nsga2(UnitSquare, new Nsga2Settings(PopulationSize: 3, Generations: 2), null, 1);
        var gen0 = new List<ParamValue[]>();
        nsga.Ask(3, gen0);
        nsga.Tell(Told(gen0[0], 1, 2));

        Assert.Throws<ArgumentException>(() => nsga.Tell(Told(gen0[1], 1, 2, 3)));
        nsga.Tell(Told(gen0[1], 1, 2)); // still pending after the rejected tell
        nsga.Tell(Told(gen0[2], 2, 1));
        Assert.Equal(1, nsga.Generation);
    }

    [Fact]
    public void Ask_NothingFeasible_ReturnsFewerAndReportsStarved()
    {
        var nsga = new Nsga2(UnitSquare, new Nsga2Settings(), _ => false, 1);

        Assert.Equal(0, nsga.Ask(5, []));
        Assert.True(nsga.Starved);
        Assert.False(nsga.IsExhausted);
    }

    [Fact]
    public void Ask_LaterGenerationWithTightConstraint_EveryChildFeasible()
    {
        // Only x + y <= 0.5 is allowed, while the objectives pull towards (1, 1): children bred from the
        // parents at the boundary often break the constraint and are bred again.
        static bool Below(ParamValue[] p) => p[0].AsFloat + p[1].AsFloat <= 0.5;
        var nsga = new Nsga2(UnitSquare, new Nsga2Settings(PopulationSize: 12, Generations: 6), Below, 3);

        var harness = new MethodHarness(nsga, p => Told(p, p[0].AsFloat, p[1].AsFloat)).Run(10_000, 5);

        Assert.Equal(72, harness.Evaluations);
        Assert.All(harness.Proposals, p => Assert.True(Below(p)));
    }

    [Fact]
    public void Validate_Defaults_AreValid_AndOutOfRangeSettingsNameFieldAndRange()
    {
        var defaults = new Nsga2Settings();
        Assert.Empty(Nsga2Settings.Validate(defaults));
        Assert.Equal((40, 50, 0.1, 0.9), (defaults.PopulationSize, defaults.Generations, defaults.MutationRate, defaults.CrossoverRate));

        var violations = Nsga2Settings.Validate(new Nsga2Settings(PopulationSize: 1, Generations: 0, MutationRate: -0.5, CrossoverRate: double.NaN));

        Assert.Equal(
            [
                new SettingsViolation("population_size", "must be between 2 and 100000, got 1"),
                new SettingsViolation("generations", "must be between 1 and 1000000, got 0"),
                new SettingsViolation("mutation_rate", "must be between 0 and 1, got -0.5"),
                new SettingsViolation("crossover_rate", "must be between 0 and 1, got NaN"),
            ],
            violations);
        Assert.Throws<ArgumentException>(() => new Nsga2(UnitSquare, new Nsga2Settings(PopulationSize: 0), null, 1));
    }

    [Fact]
    public void Create_Nsga2Settings_BuildsNsga2() =>
        Assert.IsType<Nsga2>(SearchMethods.Create(new Nsga2Settings(), UnitSquare, null, 1));
}
