using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Methods.Genetic;
using OptimizerGrpc.Core.Spaces;
using static OptimizerGrpc.Core.Tests.Methods.MethodHarness;

namespace OptimizerGrpc.Core.Tests.Methods.Genetic;

public sealed class GeneticAlgorithmTests
{
    private static GeneticAlgorithm MixedGa(ulong seed, GeneticSettings? settings = null) =>
        new(MixedSpace, settings ?? new GeneticSettings(PopulationSize: 20, Generations: 8), FastBelowSlow, seed);

    [Fact]
    public void Ask_MixedSpaceWithConstraint_EveryProposalInItsDomainAndFeasible()
    {
        var harness = new MethodHarness(MixedGa(3), MixedObjective).Run(budget: 10_000, batch: 7);

        Assert.True(harness.Method.IsExhausted);
        Assert.Equal(20 + (7 * 18), harness.Evaluations);
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
        static string Run(ulong seed) => Format(new MethodHarness(MixedGa(seed), MixedObjective).Run(300, 9).Proposals);

        Assert.Equal(Run(5), Run(5));
        Assert.NotEqual(Run(5), Run(6));
    }

    [Fact]
    public void ReadSnapshot_MidGenerationWithPendingProposals_ContinuesTheUninterruptedTrajectory()
    {
        var uninterrupted = new MethodHarness(MixedGa(11), MixedObjective).Run(budget: 10_000, batch: 7);

        var interrupted = new MethodHarness(MixedGa(11), MixedObjective);
        for (int step = 0; step < 9; step++)
        {
            interrupted.Step(7);
        }

        Assert.NotEmpty(interrupted.Outstanding);
        Assert.True(((GeneticAlgorithm)interrupted.Method).Generation > 0);
        interrupted.Method = RoundTrip(interrupted.Method, MixedGa(seed: 12345));
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
        var ga = MixedGa(1);
        ga.Ask(5, []);

        Assert.Throws<InvalidDataException>(() => RoundTrip(ga, MixedGa(1, new GeneticSettings(PopulationSize: 21))));
    }

    [Fact]
    public void Ask_GenerationOut_ReturnsZeroUntilEveryIndividualIsTold()
    {
        var ga = new GeneticAlgorithm(UnitSquare, new GeneticSettings(PopulationSize: 10, Generations: 3), null, 1);
        var first = new List<ParamValue[]>();
        Assert.Equal(6, ga.Ask(6, first));
        Assert.Equal(4, ga.Ask(100, first));

        foreach (var p in first.Take(9))
        {
            ga.Tell(Sphere(p));
            Assert.Equal(0, ga.Ask(100, []));
            Assert.False(ga.Starved);
            Assert.Equal(0, ga.Generation);
        }

        ga.Tell(Sphere(first[9]));

        Assert.Equal(1, ga.Generation);
        Assert.Equal(8, ga.Ask(100, [])); // two elites are carried over, not evaluated again
    }

    [Fact]
    public void IsExhausted_AfterTheLastGenerationIsTold_AndNotBefore()
    {
        var ga = new GeneticAlgorithm(UnitSquare, new GeneticSettings(PopulationSize: 4, Generations: 3, EliteCount: 1), null, 1);

        var harness = new MethodHarness(ga, Sphere).Run(budget: 1000, batch: 3);

        Assert.True(ga.IsExhausted);
        Assert.Equal(3, ga.Generation);
        Assert.Equal(4 + 3 + 3, harness.Evaluations);
        Assert.Equal(0, ga.Ask(10, []));
    }

    [Fact]
    public void Tell_FailedInfeasiblePrunedAndNaN_NeverBecomeElites()
    {
        var ga = new GeneticAlgorithm(UnitSquare, new GeneticSettings(PopulationSize: 6, Generations: 5, EliteCount: 3), null, 2);
        var gen0 = new List<ParamValue[]>();
        ga.Ask(6, gen0);

        ga.Tell(new Observation(gen0[0], [], ObservationKind.Failed));
        ga.Tell(new Observation(gen0[1], [], ObservationKind.Infeasible));
        ga.Tell(new Observation(gen0[2], [], ObservationKind.Pruned));
        ga.Tell(Completed(gen0[3], double.NaN));
        ga.Tell(Completed(gen0[4], -1e9));
        ga.Tell(new Observation(gen0[5], [], ObservationKind.Failed));

        // Only one individual completed with a number, so only one elite: five children to evaluate, not three.
        var gen1 = new List<ParamValue[]>();
        Assert.Equal(5, ga.Ask(100, gen1));
        Assert.DoesNotContain(gen1, p => p.AsSpan().SequenceEqual(gen0[4]));
    }

    [Fact]
    public void Tell_UnknownOrRepeated_IsIgnored()
    {
        var ga = new GeneticAlgorithm(UnitSquare, new GeneticSettings(PopulationSize: 2, Generations: 2, EliteCount: 1, TournamentSize: 2), null, 1);
        var gen0 = new List<ParamValue[]>();
        ga.Ask(2, gen0);

        ga.Tell(Sphere([ParamValue.Float(0.123), ParamValue.Float(0.456)]));
        ga.Tell(Sphere(gen0[0]));
        ga.Tell(Sphere(gen0[0]));

        Assert.Equal(0, ga.Generation);
        ga.Tell(Sphere(gen0[1]));
        Assert.Equal(1, ga.Generation);
    }

    [Fact]
    public void Ask_SmallDiscreteSpace_GenerationHasNoDuplicatesWhileDistinctPointsRemain()
    {
        var space = new SearchSpace([new SearchParameter("t.c", new CategoricalDomain(["a", "b", "c", "d", "e"]))]);
        var ga = new GeneticAlgorithm(space, new GeneticSettings(PopulationSize: 5, Generations: 4, EliteCount: 1), null, 4);

        var harness = new MethodHarness(ga, p => Completed(p, p[0].AsString[0])).Run(1000, 5);

        Assert.Equal(5, harness.Proposals.Take(5).Select(p => p[0]).Distinct().Count());
        // Later generations: 4 children plus the elite 'e' - all 5 points, each once.
        Assert.Equal(4, harness.Proposals.Skip(5).Take(4).Select(p => p[0]).Distinct().Count());
        Assert.DoesNotContain(harness.Proposals.Skip(5).Take(4), p => p[0].AsString == "e");
    }

    [Fact]
    public void Ask_NothingFeasible_ReturnsFewerAndReportsStarved()
    {
        var ga = new GeneticAlgorithm(UnitSquare, new GeneticSettings(), _ => false, 1);

        Assert.Equal(0, ga.Ask(5, []));
        Assert.True(ga.Starved);
        Assert.False(ga.IsExhausted);
    }

    [Fact]
    public void Sphere_600Evaluations_BestWithin001OfOptimumAndFarBetterThanRandomSearch()
    {
        const ulong seed = 2024;
        var ga = new MethodHarness(new GeneticAlgorithm(UnitSquare, new GeneticSettings(), null, seed), Sphere).Run(600, 50);
        var random = new MethodHarness(new RandomSearch(UnitSquare, null, seed), Sphere).Run(600, 50);

        Assert.Equal(600, ga.Evaluations);
        double distance = Math.Sqrt(-ga.BestScore);
        Assert.True(distance < 0.01, $"GA best is {distance} from the optimum");
        Assert.True(ga.BestScore > 10 * random.BestScore, $"GA {ga.BestScore} vs random {random.BestScore}");
    }

    [Fact]
    public void Validate_Defaults_AreValid_AndOutOfRangeSettingsNameFieldAndRange()
    {
        Assert.Empty(GeneticSettings.Validate(new GeneticSettings()));
        Assert.Equal((50, 50, 0.1, 0.7, 2, 3), (new GeneticSettings().PopulationSize, new GeneticSettings().Generations,
            new GeneticSettings().MutationRate, new GeneticSettings().CrossoverRate, new GeneticSettings().EliteCount, new GeneticSettings().TournamentSize));

        var violations = GeneticSettings.Validate(new GeneticSettings(PopulationSize: 1, Generations: 0, MutationRate: 1.5, CrossoverRate: double.NaN, EliteCount: 2, TournamentSize: 0));

        Assert.Equal(
            [
                new SettingsViolation("population_size", "must be between 2 and 100000, got 1"),
                new SettingsViolation("generations", "must be between 1 and 1000000, got 0"),
                new SettingsViolation("mutation_rate", "must be between 0 and 1, got 1.5"),
                new SettingsViolation("crossover_rate", "must be between 0 and 1, got NaN"),
                new SettingsViolation("elite_count", "must be between 0 and 1, got 2"),
                new SettingsViolation("tournament_size", "must be between 1 and 2, got 0"),
            ],
            violations);
        Assert.Throws<ArgumentException>(() => new GeneticAlgorithm(UnitSquare, new GeneticSettings(EliteCount: 50), null, 1));
    }

    [Fact]
    public void Create_GeneticSettings_BuildsAGeneticAlgorithm() =>
        Assert.IsType<GeneticAlgorithm>(SearchMethods.Create(new GeneticSettings(), UnitSquare, null, 1));
}
