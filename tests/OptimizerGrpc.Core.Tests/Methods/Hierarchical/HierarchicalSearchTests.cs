using OptimizerGrpc.Core.Methods.Grid;
using OptimizerGrpc.Core.Methods.Hierarchical;
using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Methods.Genetic;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Tests.Methods.Hierarchical;

public sealed class HierarchicalSearchTests
{
    // Combined space [outer.x, inner.y]: x in 0..4, y in 0..9.
    private static readonly SearchSpace Space = new([
        new SearchParameter("outer.x", new IntDomain(0, 4, 1)),
        new SearchParameter("inner.y", new IntDomain(0, 9, 1)),
    ]);

    // For each x the best y is 2x, and the candidate's score (its inner winner) is x: the best pair is (4, 8).
    private static double Score(ParamValue[] p) => p[0].AsInt - Math.Pow(p[1].AsInt - (2 * p[0].AsInt), 2);

    private static HierarchicalSearch GridOverGrid(long innerBudget = 0, Predicate<ParamValue[]>? feasible = null) =>
        new(Space, new HierarchicalSettings(new GridSettings(), 0, [0], new GridSettings(), innerBudget), feasible, 7);

    // Asks in batches of `batch`, tells every proposal with Score, until exhausted; returns the proposals in order.
    private static List<ParamValue[]> Drive(ISearchMethod method, int batch, int limit = 10_000)
    {
        var all = new List<ParamValue[]>();
        while (!method.IsExhausted && all.Count < limit)
        {
            var asked = new List<ParamValue[]>();
            int got = method.Ask(batch, asked);
            Assert.True(got > 0 || method.IsExhausted, "an idle hierarchical search must make progress or be exhausted");
            foreach (var p in asked)
            {
                method.Tell(new Observation(p, [Score(p)], ObservationKind.Completed));
            }

            all.AddRange(asked);
        }

        return all;
    }

    [Fact]
    public void GridOverGrid_EveryCandidateGetsItsFullInnerSearch_InnerWinnerAndScorePerCandidate()
    {
        var search = GridOverGrid();

        var proposals = Drive(search, 3);

        Assert.Equal(50, proposals.Count);
        Assert.Equal(50, proposals.Select(p => (p[0].AsInt, p[1].AsInt)).Distinct().Count());
        Assert.Equal([0, 1, 2, 3, 4], search.Candidates.Select(c => c.Outer[0].AsInt));
        Assert.All(search.Candidates, c =>
        {
            Assert.True(c.Closed);
            Assert.Equal(10, c.InnerCreated);
            Assert.Equal(2 * c.Outer[0].AsInt, c.BestInner![0].AsInt);
            Assert.Equal(c.Outer[0].AsInt, c.BestScore);
        });
    }

    [Fact]
    public void InnerBudget_LimitsTrialsPerCandidate()
    {
        var search = new HierarchicalSearch(Space, new HierarchicalSettings(new GridSettings(), 3, [0], new RandomSettings(), 4), null, 11);

        var proposals = Drive(search, 5);

        Assert.Equal(12, proposals.Count);
        Assert.Equal(3, search.Candidates.Count);
        Assert.All(search.Candidates, c => Assert.Equal(4, c.InnerCreated));
    }

    [Fact]
    public void OuterMethodLearnsFromInnerWinners_GeneticOuterFindsTheBestPair()
    {
        var space = new SearchSpace([
            new SearchParameter("outer.x", new FloatDomain(0, 4, null, false)),
            new SearchParameter("inner.y", new IntDomain(0, 9, 1)),
        ]);
        var search = new HierarchicalSearch(space, new HierarchicalSettings(new GeneticSettings(PopulationSize: 8, Generations: 6), 48, [0], new GridSettings(), 0), null, 3);
        var asked = new List<ParamValue[]>();
        while (!search.IsExhausted)
        {
            asked.Clear();
            Assert.True(search.Ask(16, asked) > 0 || search.IsExhausted);
            foreach (var p in asked)
            {
                // Inner winner for x is y = round(2x); candidate score ~ x.
                double score = p[0].AsFloat - Math.Pow(p[1].AsInt - (2 * p[0].AsFloat), 2);
                search.Tell(new Observation(p, [score], ObservationKind.Completed));
            }
        }

        var scored = search.Candidates.Where(c => c.BestInner is not null).ToList();
        // 48 outer proposals; a genetic algorithm may propose an individual again (an elite), which reuses its candidate.
        Assert.InRange(search.Candidates.Count, 16, 48);
        var firstGeneration = scored.Take(8).Average(c => c.Outer[0].AsFloat);
        var lastGeneration = scored.TakeLast(8).Average(c => c.Outer[0].AsFloat);
        Assert.True(lastGeneration > firstGeneration, $"later generations should move toward x = 4 ({firstGeneration:F2} -> {lastGeneration:F2})");
        Assert.All(scored, c => Assert.True(Math.Abs(c.BestInner![0].AsInt - Math.Clamp(2 * c.Outer[0].AsFloat, 0, 9)) <= 0.5, "the inner grid finds the y nearest 2x"));
    }

    [Fact]
    public void Constraint_OuterValuesWithNoFeasibleInnerValueAreNeverProposed_InnerNeverViolates()
    {
        // y > 2x + 3 leaves no y in 0..9 for x = 4 (needs y > 11) and x = 3 (needs y > 9).
        bool Feasible(ParamValue[] p) => p[1].AsInt > (2 * p[0].AsInt) + 3;
        var search = GridOverGrid(feasible: Feasible);

        var proposals = Drive(search, 4);

        Assert.All(proposals, p => Assert.True(Feasible(p)));
        Assert.Equal([0, 1, 2], search.Candidates.Select(c => c.Outer[0].AsInt));
    }

    [Fact]
    public void RepeatedOuterProposal_IsToldTheKnownScoreWithoutNewTrials()
    {
        // Random outer over 5 values with 30 proposals: most repeat an earlier candidate.
        var search = new HierarchicalSearch(Space, new HierarchicalSettings(new RandomSettings(), 30, [0], new GridSettings(), 0), null, 5);

        var proposals = Drive(search, 7);

        Assert.True(search.Candidates.Count <= 5);
        Assert.Equal(search.Candidates.Count * 10, proposals.Count);
        Assert.True(search.IsExhausted);
    }

    [Fact]
    public void Snapshot_MidRun_RestoredSearchContinuesIdentically()
    {
        var settings = new HierarchicalSettings(new GeneticSettings(PopulationSize: 6, Generations: 4), 20, [0], new RandomSettings(), 5);
        var space = new SearchSpace([
            new SearchParameter("outer.x", new FloatDomain(0, 4, null, false)),
            new SearchParameter("inner.y", new FloatDomain(0, 9, null, false)),
        ]);
        double F(ParamValue[] p) => p[0].AsFloat - Math.Pow(p[1].AsFloat - (2 * p[0].AsFloat), 2);
        var reference = new HierarchicalSearch(space, settings, null, 99);
        var interrupted = new HierarchicalSearch(space, settings, null, 99);

        List<string> Step(ISearchMethod m, int n)
        {
            var asked = new List<ParamValue[]>();
            m.Ask(n, asked);
            foreach (var p in asked)
            {
                m.Tell(new Observation(p, [F(p)], ObservationKind.Completed));
            }

            return [.. asked.Select(p => $"{p[0].AsFloat:R},{p[1].AsFloat:R}")];
        }

        var expected = new List<string>();
        var actual = new List<string>();
        for (int i = 0; i < 6; i++)
        {
            expected.AddRange(Step(reference, 3));
            actual.AddRange(Step(interrupted, 3));
        }

        using var stream = new MemoryStream();
        interrupted.WriteSnapshot(new BinaryWriter(stream));
        stream.Position = 0;
        var restored = new HierarchicalSearch(space, settings, null, 99);
        restored.ReadSnapshot(new BinaryReader(stream));
        while (!reference.IsExhausted)
        {
            expected.AddRange(Step(reference, 3));
            actual.AddRange(Step(restored, 3));
        }

        Assert.Equal(expected, actual);
        Assert.True(restored.IsExhausted);
    }

    [Fact]
    public void Constructor_OuterPositionsMustSplitTheSpace()
    {
        Assert.Throws<ArgumentException>(() => new HierarchicalSearch(Space, new HierarchicalSettings(new GridSettings(), 0, [0, 1], new GridSettings(), 0), null, 1));
        Assert.Throws<ArgumentException>(() => new HierarchicalSearch(Space, new HierarchicalSettings(new GridSettings(), 0, [], new GridSettings(), 0), null, 1));
    }
}
