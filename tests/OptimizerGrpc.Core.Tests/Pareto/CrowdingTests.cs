using OptimizerGrpc.Core.Pareto;

namespace OptimizerGrpc.Core.Tests.Pareto;

public sealed class CrowdingTests
{
    [Fact]
    public void Distances_FivePointFront_ExtremesInfiniteInteriorSumOfNormalisedGaps()
    {
        // Index 2 is dominated and not part of the front passed in.
        double[][] points = [[0, 10], [1, 6], [0, 0], [3, 5], [6, 1], [10, 0]];
        int[] front = [0, 1, 3, 4, 5];

        var distances = Crowding.Distances(points, front);

        // Objective 0 (range 10), sorted 0,1,3,6,10: (3-0)/10, (6-1)/10, (10-3)/10 for the interior.
        // Objective 1 (range 10), sorted 0,1,5,6,10: (5-0)/10, (6-1)/10, (10-5)/10 for (6,1), (3,5), (1,6).
        // (1,6): 0.3 + 0.5; (3,5): 0.5 + 0.5; (6,1): 0.7 + 0.5.
        Assert.Equal(double.PositiveInfinity, distances[0]);
        Assert.Equal(0.8, distances[1], 12);
        Assert.Equal(1.0, distances[2], 12);
        Assert.Equal(1.2, distances[3], 12);
        Assert.Equal(double.PositiveInfinity, distances[4]);
    }

    [Fact]
    public void Distances_ObjectiveWithZeroRange_IsSkipped()
    {
        double[][] points = [[1, 7], [2, 7], [4, 7], [4, 7]];

        var distances = Crowding.Distances(points, [0, 1, 2, 3]);

        // Only objective 0 counts (range 3). Sorted 1,2,4,4 with ties in front order: (2) gets (4-1)/3,
        // the first (4) gets (4-2)/3, the second (4) is the extreme.
        Assert.Equal([double.PositiveInfinity, 1.0, 2.0 / 3, double.PositiveInfinity], distances);
        Assert.Equal([0.0, 0.0], Crowding.Distances([[5, 5], [5, 5]], [0, 1]));
        Assert.Equal([double.PositiveInfinity, double.PositiveInfinity], Crowding.Distances([[1, 2], [2, 1]], [0, 1]));
        Assert.Empty(Crowding.Distances([[1, 2]], []));
    }
}
