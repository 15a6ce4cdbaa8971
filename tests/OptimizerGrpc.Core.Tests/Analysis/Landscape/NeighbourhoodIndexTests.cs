using OptimizerGrpc.Core.Analysis.Landscape;
using OptimizerGrpc.Core.Randomness;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Tests.Analysis.Landscape;

public sealed class NeighbourhoodIndexTests
{
    [Fact]
    public void RobustPick_SparseSearchOverBudget_IsSoughtAmongTheBestTrialsOnly()
    {
        var data = RandomData(ordered: 8, choices: 0, n: 400, seed: 5);
        var index = new NeighbourhoodIndex(data);
        Assert.False(index.Dense);

        var summary = RobustnessAnalysis.Analyze(data, new RobustnessOptions(TopTrials: 10), workBudget: index.WorkPerQuery * 50);

        Assert.Equal(50, summary.PickCandidates);
        int expected = data.Ranked.Take(50)
            .Select(row => (Row: row, Of: index.Of(row)))
            .Where(c => c.Of.Neighbours > 0)
            .OrderByDescending(c => c.Of.Mean).ThenByDescending(c => data.Scores[c.Row]).ThenBy(c => data.Numbers[c.Row])
            .First().Row;
        Assert.Equal(data.Numbers[expected], summary.RobustPick!.TrialNumber);
    }

    [Theory]
    [InlineData(3, 1, 0L)] // sparse, every axis in the key
    [InlineData(5, 2, 0L)] // sparse, one ordered axis left out, choices in the key
    [InlineData(3, 1, long.MaxValue)] // dense box filter
    [InlineData(8, 1, 0L)] // sparse, four ordered axes left out of the key
    [InlineData(8, 1, long.MaxValue)]
    public void NeighbourhoodIndex_EitherPath_MatchesBruteForce(int ordered, int choices, long denseLimit)
    {
        var data = RandomData(ordered, choices, n: 300, seed: 11);

        var index = new NeighbourhoodIndex(data, denseLimit);

        Assert.Equal(denseLimit > 0, index.Dense);
        for (int i = 0; i < data.N; i++)
        {
            var own = data.CellsOf(i).ToArray();
            var neighbours = Enumerable.Range(0, data.N).Where(j => j != i && Adjacent(data, own, j)).ToList();
            var (count, mean) = index.Of(i);
            Assert.Equal(neighbours.Count, count);
            if (neighbours.Count > 0)
            {
                Assert.Equal(neighbours.Average(j => data.Scores[j]), mean, 9);
            }
        }
    }

    /// <summary>Trials numbered from 1 with integer scores, over ordered parameters of three values and two-choice categoricals.</summary>
    private static LandscapeData RandomData(int ordered, int choices, int n, ulong seed)
    {
        var parameters = Enumerable.Range(0, ordered).Select(i => new SearchParameter($"x{i}", new IntDomain(0, 2, 1)))
            .Concat(Enumerable.Range(0, choices).Select(i => new SearchParameter($"c{i}", new CategoricalDomain(["a", "b"]))))
            .ToList();
        var axes = parameters.Select(p => LandscapeAxis.For(p, 10, 50)).ToList();
        var rng = new Xoshiro256StarStar(seed);
        int d = axes.Count;
        var values = new ParamValue[n * d];
        var units = new double[n * d];
        for (int i = 0; i < n * d; i++)
        {
            var domain = parameters[i % d].Domain;
            values[i] = domain.GridValue(rng.NextInt64(domain.GridSize(1)), 1);
            units[i] = axes[i % d].ToUnit(values[i]);
        }

        var scores = Enumerable.Range(0, n).Select(_ => (double)rng.NextInt64(50)).ToArray();
        return new LandscapeData(axes, scores, [.. Enumerable.Range(1, n).Select(i => (long)i)], units, values);
    }

    private static bool Adjacent(LandscapeData data, int[] own, int row)
    {
        var cells = data.CellsOf(row);
        for (int a = 0; a < own.Length; a++)
        {
            if (Math.Abs(own[a] - cells[a]) > (data.Axes[a].Ordered ? 1 : 0))
            {
                return false;
            }
        }

        return true;
    }
}
