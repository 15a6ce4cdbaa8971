using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Methods.Genetic;
using OptimizerGrpc.Core.Randomness;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Tests.Methods.Genetic;

/// <summary>On a small discrete space the genetic algorithm caps its population and spends each generation on new points.</summary>
public sealed class SmallSpaceSizingTests
{
    // 7 x 7 = 49 points, as a two-parameter moving-average grid.
    private static readonly SearchSpace Grid49 = new([
        new SearchParameter("ma.fast", new ValueListDomain([.. new long[] { 5, 10, 15, 20, 30, 40, 50 }.Select(ParamValue.Int)])),
        new SearchParameter("ma.slow", new ValueListDomain([.. new long[] { 60, 80, 100, 125, 150, 175, 200 }.Select(ParamValue.Int)])),
    ]);

    private static double Score(ParamValue[] p) => -Math.Abs(p[0].AsInt - 20) - Math.Abs(p[1].AsInt - 125);

    [Fact]
    public void Effective_49Points_PopulationIsAQuarterOfTheSpaceRoundedUp()
    {
        var effective = SmallSpaceSizing.Effective(new GeneticSettings(), Grid49);

        Assert.Equal(new GeneticSettings(PopulationSize: 13), effective); // ceil(49 / 4); elites 2 and tournament 3 fit
    }

    [Fact]
    public void Effective_ContinuousOrLargeSpace_SettingsAsGiven()
    {
        var continuous = new SearchSpace([new SearchParameter("x", new FloatDomain(0, 1, null, false))]);
        var large = new SearchSpace([new SearchParameter("x", new IntDomain(1, 2_000_000, 1))]);
        var settings = new GeneticSettings();

        Assert.Same(settings, SmallSpaceSizing.Effective(settings, continuous));
        Assert.Same(settings, SmallSpaceSizing.Effective(settings, large));
        Assert.Equal(new GeneticSettings(PopulationSize: 6, EliteCount: 2, TournamentSize: 3), SmallSpaceSizing.Effective(settings, new SearchSpace([new SearchParameter("x", new IntDomain(1, 5, 1))])));
    }

    [Fact]
    public void Ask_49PointsDefaults_FirstGenerationOf13_LaterGenerationsOnlyNewPointsUntilTheSpaceIsCovered()
    {
        var ga = new GeneticAlgorithm(Grid49, new GeneticSettings(), null, 11);
        var proposals = new List<ParamValue[]>();

        for (int round = 0; round < 3; round++)
        {
            var batch = new List<ParamValue[]>();
            ga.Ask(100, batch);
            Assert.Equal(round == 0 ? 13 : 11, batch.Count); // 13, then 13 - 2 elites
            foreach (var p in batch)
            {
                ga.Tell(new Observation(p, [Score(p)], ObservationKind.Completed));
            }

            proposals.AddRange(batch);
        }

        Assert.Equal(35, proposals.Distinct(Assignments.ByValue).Count()); // 35 of the 49 points, none twice
    }

    [Fact]
    public void ReadSnapshot_Version1_ResumesWithTheSettingsAsGivenAndNoMemory()
    {
        // A snapshot written before the small-space sizing (version 1): population 50, generation 0, nothing asked.
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write((byte)1);
            w.Write(2);
            w.Write(50);
            new Xoshiro256StarStar(11).Write(w);
            w.Write(0);
            w.Write(0);
            w.Write(0);
        }

        var ga = new GeneticAlgorithm(Grid49, new GeneticSettings(), null, 11);
        stream.Position = 0;
        ga.ReadSnapshot(new BinaryReader(stream));

        var batch = new List<ParamValue[]>();
        Assert.Equal(50, ga.Ask(100, batch));
        using var written = new MemoryStream();
        ga.WriteSnapshot(new BinaryWriter(written));
        Assert.Equal(1, written.ToArray()[0]); // still a version 1 study
    }
}
