using OptimizerGrpc.Core.Pareto;
using OptimizerGrpc.Core.Randomness;

namespace OptimizerGrpc.Core.Tests.Pareto;

public sealed class HypervolumeTests
{
    [Fact]
    public void Compute_TwoObjectives_StaircaseAreaByHand()
    {
        double[][] front = [[1, 3], [2, 2], [3, 1]];

        // Boxes from the origin: strips 3x1 + 2x1 + 1x1.
        Assert.Equal(6.0, Hypervolume.Compute(front, [0, 0]));
        // From (0.5, 0.5): [0.5,3]x[0.5,1] + [0.5,2]x[1,2] + [0.5,1]x[2,3] = 1.25 + 1.5 + 0.5.
        Assert.Equal(3.25, Hypervolume.Compute(front, [0.5, 0.5]), 12);
    }

    [Fact]
    public void Compute_DominatedRepeatedAndNotAboveTheReference_AddNothing()
    {
        double[][] points = [[1, 3], [2, 2], [3, 1], [1, 1], [2, 2], [-1, 5], [5, 0], [0.5, 0.5]];

        // (-1, 5) and (5, 0) do not exceed the reference (0, 0) in every objective.
        Assert.Equal(6.0, Hypervolume.Compute(points, [0, 0]));
        Assert.Equal(0.0, Hypervolume.Compute([], [0, 0]));
        Assert.Equal(0.0, Hypervolume.Compute([[-1, -1]], [0, 0]));
        Assert.Equal(4.0, Hypervolume.Compute([[5.0], [3.0]], [1.0]));
    }

    [Fact]
    public void Compute_ThreeObjectives_MatchesInclusionExclusionByHand()
    {
        // Symmetric: three boxes of 3, pairwise and triple intersections (1,1,1): 9 - 3 + 1.
        Assert.Equal(7.0, Hypervolume.Compute([[3, 1, 1], [1, 3, 1], [1, 1, 3]], [0, 0, 0]), 12);

        // a=(2,3,1), b=(3,1,2), c=(1,2,3), d=(2,2,2):
        //   singles 6+6+6+8 = 26
        //   pairs ab=(2,1,1) 2, ac=(1,2,1) 2, bc=(1,1,2) 2, ad=(2,2,1) 4, bd=(2,1,2) 4, cd=(1,2,2) 4: 18
        //   triples abc=(1,1,1) 1, abd=(2,1,1) 2, acd=(1,2,1) 2, bcd=(1,1,2) 2: 7
        //   all four (1,1,1): 1
        // 26 - 18 + 7 - 1 = 14.
        double[][] points = [[2, 3, 1], [3, 1, 2], [1, 2, 3], [2, 2, 2]];
        Assert.Equal(13.0, Hypervolume.Compute(points[..3], [0, 0, 0]), 12);
        Assert.Equal(14.0, Hypervolume.Compute(points, [0, 0, 0]), 12);
        // Shifting points and reference together changes nothing.
        Assert.Equal(14.0, Hypervolume.Compute(points.Select(p => p.Select(x => x - 5).ToArray()).ToList(), [-5, -5, -5]), 12);
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(5, 4)]
    public void Compute_RandomSets_MatchesInclusionExclusion(int objectives, ulong seed)
    {
        var rng = new Xoshiro256StarStar(seed);
        for (int trial = 0; trial < 25; trial++)
        {
            int n = 1 + (int)rng.NextInt64(11);
            var points = new List<double[]>();
            for (int k = 0; k < n; k++)
            {
                // A coarse grid makes ties and duplicates common; some points fall below the reference.
                points.Add(Enumerable.Range(0, objectives).Select(_ => Math.Round((rng.NextDouble() * 1.2) - 0.1, 1)).ToArray());
            }

            double[] reference = [.. Enumerable.Repeat(0.0, objectives)];
            double expected = InclusionExclusion(points, reference);

            Assert.Equal(expected, Hypervolume.Compute(points, reference), 10);
        }
    }

    [Fact]
    public void DefaultReference_FrontMinimumLessTenPercentOfTheRange()
    {
        // The front is (1,5), (3,2), (5,1); (0,0) is dominated and ignored. Range 4 on both objectives.
        double[] reference = Hypervolume.DefaultReference([[1, 5], [3, 2], [5, 1], [0, 0]]);
        Assert.Equal(0.6, reference[0], 12);
        Assert.Equal(0.6, reference[1], 12);

        // Zero range: the margin is 10% of max(|minimum|, 1).
        Assert.Equal([1.8, -33.0], Hypervolume.DefaultReference([[2, -30]]).Select(x => Math.Round(x, 12)));
        Assert.Equal([0.4, -0.1], Hypervolume.DefaultReference([[0.5, 0]]).Select(x => Math.Round(x, 12)));
    }

    [Fact]
    public void Compute_BadInput_Throws()
    {
        Assert.Throws<ArgumentException>(() => Hypervolume.Compute([[1, 2]], [0, 0, 0]));
        Assert.Throws<ArgumentException>(() => Hypervolume.Compute([[1, 2]], [double.NegativeInfinity, 0]));
        Assert.Throws<ArgumentException>(() => Hypervolume.Compute([[1, double.NaN]], [0, 0]));
        Assert.Throws<ArgumentException>(() => Hypervolume.DefaultReference([]));
    }

    /// <summary>HV = sum over non-empty subsets S of (-1)^(|S|+1) vol(intersection of the boxes [r, p], p in S), where the
    /// intersection is the box up to the componentwise minimum. Exponential; for checking small sets only.</summary>
    private static double InclusionExclusion(List<double[]> points, double[] reference)
    {
        var above = points.Where(p => p.Zip(reference).All(x => x.First > x.Second)).ToList();
        double total = 0;
        for (int mask = 1; mask < 1 << above.Count; mask++)
        {
            double volume = 1;
            for (int i = 0; i < reference.Length; i++)
            {
                double corner = double.PositiveInfinity;
                for (int k = 0; k < above.Count; k++)
                {
                    if ((mask & (1 << k)) != 0)
                    {
                        corner = Math.Min(corner, above[k][i]);
                    }
                }

                volume *= corner - reference[i];
            }

            total += (int.PopCount(mask) % 2 == 1 ? 1 : -1) * volume;
        }

        return total;
    }
}
