using OptimizerGrpc.Core.Analysis.Landscape;
using OptimizerGrpc.Core.Spaces;
using static OptimizerGrpc.Core.Tests.Analysis.Landscape.LandscapeStudy;

namespace OptimizerGrpc.Core.Tests.Analysis.Landscape;

public sealed class RobustnessTests
{
    private static readonly IntDomain FiveSteps = new(0, 4, 1);

    private static RobustnessSummary Robustness(IEnumerable<(double Score, long X, long Y)> trials, int top = 3)
    {
        var stage = Stage(Space(("x", FiveSteps), ("y", FiveSteps)));
        var options = new LandscapeOptions { Robustness = new RobustnessOptions(TopTrials: top) };
        return Analyze(stage, trials.Select(t => (t.Score, new[] { I(t.X), I(t.Y) })), options).Robustness;
    }

    // A spike of 10 at (4, 4) between two zeros, and a plateau of 6s around an 8 at (1, 1). Trials are numbered 1 to 11.
    private static readonly (double, long, long)[] SpikeAndPlateau =
    [
        (10, 4, 4), (0, 3, 4), (0, 4, 3),
        (8, 1, 1), (6, 0, 0), (6, 0, 1), (6, 1, 0), (6, 1, 2), (6, 2, 1), (7, 2, 2),
        (1, 3, 0),
    ];

    [Fact]
    public void Top_BestTrials_HaveTheirNeighbourhoodsAndSpread()
    {
        // Scores 10, 8, 7, 6 ×5, 1, 0, 0: median 6, spread 10 - 6 = 4.
        var summary = Robustness(SpikeAndPlateau);

        Assert.Equal(6, summary.MedianScore);
        Assert.Equal(4, summary.ScoreSpread);
        Assert.Equal([1L, 4, 10], summary.Top.Select(e => e.TrialNumber));
        Assert.Equal([10.0, 8, 7], summary.Top.Select(e => e.Score));

        // (4, 4): (3, 4) and (4, 3). (1, 1): the five 6s and the 7. (2, 2): (1, 1), (1, 2), (2, 1).
        Assert.Equal([2L, 6, 3], summary.Top.Select(e => e.Neighbours));
        Assert.Equal(0, summary.Top[0].NeighbourhoodMean);
        Assert.Equal(37.0 / 6, summary.Top[1].NeighbourhoodMean, 12);
        Assert.Equal(20.0 / 3, summary.Top[2].NeighbourhoodMean, 12);
        Assert.Equal([I(4), I(4)], summary.Top[0].Params);
        Assert.Same(summary.Top[0], summary.Best);
    }

    [Fact]
    public void IsolatedPeak_DropAboveHalfTheSpread_IsFlaggedAndBelowIsNot()
    {
        // Threshold 0.5 × 4 = 2: the spike drops 10, the 8 drops 8 - 37/6 = 1.83, the 7 drops 1/3.
        var summary = Robustness(SpikeAndPlateau);

        Assert.Equal([true, false, false], summary.Top.Select(e => e.IsolatedPeak));
    }

    [Fact]
    public void RobustPick_IsTheTrialWithTheBestNeighbourhoodMean()
    {
        // (1, 2) has (0, 1), (1, 1), (2, 1), (2, 2): (6 + 8 + 6 + 7) / 4 = 6.75, the highest; (2, 2) and (0, 0) have 20/3.
        var pick = Robustness(SpikeAndPlateau).RobustPick;

        Assert.NotNull(pick);
        Assert.Equal(8, pick.TrialNumber);
        Assert.Equal(11, Robustness(SpikeAndPlateau).PickCandidates);
        Assert.Equal(6.75, pick.NeighbourhoodMean);
        Assert.Equal(4, pick.Neighbours);
    }

    [Fact]
    public void RobustPick_EqualNeighbourhoodMeans_PrefersTheHigherOwnScore()
    {
        // (0, 1) and (4, 3) both have a neighbour of 5; their own scores are 3 and 4.
        var pick = Robustness([(5, 0, 0), (3, 0, 1), (5, 4, 4), (4, 4, 3)]).RobustPick;

        Assert.Equal(4, pick!.TrialNumber);
    }

    [Fact]
    public void RobustPick_EqualMeansAndScores_PrefersTheLowerTrialNumber()
    {
        var pick = Robustness([(5, 4, 4), (3, 4, 3), (5, 0, 0), (3, 0, 1)]).RobustPick;

        Assert.Equal(2, pick!.TrialNumber);
    }

    [Fact]
    public void RobustPick_NoTrialHasANeighbour_IsNullAndNothingIsIsolated()
    {
        var summary = Robustness([(5, 0, 0), (3, 4, 4)]);

        Assert.Null(summary.RobustPick);
        Assert.All(summary.Top, e => Assert.Equal(0, e.Neighbours));
        Assert.All(summary.Top, e => Assert.True(double.IsNaN(e.NeighbourhoodMean)));
        Assert.All(summary.Top, e => Assert.False(e.IsolatedPeak));
    }

    [Fact]
    public void OnEdge_DiscreteRanges_FlagsTheirMinimumAndMaximum()
    {
        var summary = Robustness(SpikeAndPlateau, top: 11);

        Assert.Equal([RangeEdge.High, RangeEdge.High], summary.Top.Single(e => e.TrialNumber == 1).OnEdge);
        Assert.Equal([RangeEdge.None, RangeEdge.None], summary.Top.Single(e => e.TrialNumber == 4).OnEdge);
        Assert.Equal([RangeEdge.Low, RangeEdge.Low], summary.Top.Single(e => e.TrialNumber == 5).OnEdge);
        Assert.Equal([RangeEdge.None, RangeEdge.Low], summary.Top.Single(e => e.TrialNumber == 11).OnEdge);
    }

    [Fact]
    public void OnEdge_ContinuousAndChoiceParameters_FlagsTheEdgeBinsOfNumbersOnly()
    {
        var stage = Stage(Space(("f", new FloatDomain(0, 1, null, false)), ("c", new CategoricalDomain(["a", "b"]))));

        var top = Analyze(stage, [(3.0, [F(0.95), S("a")]), (2.0, [F(0.05), S("b")]), (1.0, [F(0.5), S("a")])]).Robustness.Top;

        Assert.Equal([RangeEdge.High, RangeEdge.None], top[0].OnEdge);
        Assert.Equal([RangeEdge.Low, RangeEdge.None], top[1].OnEdge);
        Assert.Equal([RangeEdge.None, RangeEdge.None], top[2].OnEdge);
    }

    [Fact]
    public void Neighbourhood_ChoiceParameter_AdmitsOnlyTheSameChoice()
    {
        var stage = Stage(Space(("x", FiveSteps), ("c", new CategoricalDomain(["a", "b", "c"]))));

        var top = Analyze(stage, [(3.0, [I(0), S("b")]), (2.0, [I(1), S("b")]), (1.0, [I(1), S("c")]), (0.0, [I(0), S("a")])]).Robustness.Top;

        Assert.Equal(1, top[0].Neighbours);
        Assert.Equal(2.0, top[0].NeighbourhoodMean);
    }

    [Fact]
    public void Neighbourhood_MoreThanSixOrderedParameters_MatchesBruteForce()
    {
        // Eight ordered parameters: the grid's key holds four, the other four are checked trial by trial.
        var three = new IntDomain(0, 2, 1);
        var space = new SearchSpace([.. Enumerable.Range(0, 8).Select(i => new SearchParameter($"p{i}", three))]);
        var rng = new Randomness.Xoshiro256StarStar(7);
        var trials = Enumerable.Range(0, 400)
            .Select(i => ((double)rng.NextInt64(100), Enumerable.Range(0, 8).Select(_ => I(rng.NextInt64(3))).ToArray()))
            .ToList();

        var top = Analyze(Stage(space), trials, new LandscapeOptions { Robustness = new RobustnessOptions(TopTrials: 400) }).Robustness.Top;

        foreach (var entry in top)
        {
            var own = trials[(int)entry.TrialNumber - 1].Item2;
            var neighbours = trials.Where((t, i) => i != entry.TrialNumber - 1
                && t.Item2.Zip(own).All(p => Math.Abs(p.First.AsInt - p.Second.AsInt) <= 1)).ToList();
            Assert.Equal(neighbours.Count, entry.Neighbours);
            if (neighbours.Count > 0)
            {
                Assert.Equal(neighbours.Average(t => t.Item1), entry.NeighbourhoodMean, 9);
            }
        }
    }
}
