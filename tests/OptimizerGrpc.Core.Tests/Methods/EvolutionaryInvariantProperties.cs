using FsCheck;
using FsCheck.Xunit;
using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Methods.Genetic;
using OptimizerGrpc.Core.Methods.MultiObjective;
using OptimizerGrpc.Core.Methods.Swarm;
using static OptimizerGrpc.Core.Tests.Methods.MethodHarness;

namespace OptimizerGrpc.Core.Tests.Methods;

/// <summary>Invariants of the population methods for any seed, batch size and order of Tells.</summary>
public sealed class EvolutionaryInvariantProperties
{
    [Property(MaxTest = 40)]
    public void GeneticAlgorithm_AnySeedAndBatch_FeasibleInDomainAndStopsAtItsBudget(ulong seed, PositiveInt batch)
    {
        var ga = new GeneticAlgorithm(MixedSpace, new GeneticSettings(PopulationSize: 9, Generations: 4, EliteCount: 1), FastBelowSlow, seed);

        var harness = new MethodHarness(ga, MixedObjective, tellSeed: seed ^ 0x5A5A).Run(budget: 10_000, batch: 1 + (batch.Get % 20));

        AssertFeasibleInDomain(harness);
        Assert.True(ga.IsExhausted);
        Assert.Equal(9 + (3 * 8), harness.Evaluations);
    }

    [Property(MaxTest = 40)]
    public void ParticleSwarm_AnySeedAndBatch_FeasibleInDomainAndStopsAtItsBudget(ulong seed, PositiveInt batch)
    {
        var pso = new ParticleSwarm(MixedSpace, new ParticleSwarmSettings(SwarmSize: 7, Iterations: 5), FastBelowSlow, seed);

        var harness = new MethodHarness(pso, MixedObjective, tellSeed: seed ^ 0x5A5A).Run(budget: 10_000, batch: 1 + (batch.Get % 20));

        AssertFeasibleInDomain(harness);
        Assert.True(pso.IsExhausted);
        Assert.Equal(7 * 5, harness.Evaluations);
    }

    [Property(MaxTest = 40)]
    public void Nsga2_AnySeedAndBatch_FeasibleInDomainAndStopsAtItsBudget(ulong seed, PositiveInt batch)
    {
        var nsga = new Nsga2(MixedSpace, new Nsga2Settings(PopulationSize: 9, Generations: 4), FastBelowSlow, seed);

        var harness = new MethodHarness(nsga, MixedObjectives, tellSeed: seed ^ 0x5A5A).Run(budget: 10_000, batch: 1 + (batch.Get % 20));

        AssertFeasibleInDomain(harness);
        Assert.True(nsga.IsExhausted);
        Assert.Equal(9 * 4, harness.Evaluations);
    }

    private static void AssertFeasibleInDomain(MethodHarness harness)
    {
        foreach (var p in harness.Proposals)
        {
            Assert.True(FastBelowSlow(p));
            for (int i = 0; i < MixedSpace.Count; i++)
            {
                Assert.True(MixedSpace.Parameters[i].Domain.Contains(p[i]), $"{p[i]} not in {MixedSpace.Parameters[i].Domain}");
            }
        }
    }
}
