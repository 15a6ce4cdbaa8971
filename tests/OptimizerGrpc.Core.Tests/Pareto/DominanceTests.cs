using OptimizerGrpc.Core.Pareto;

namespace OptimizerGrpc.Core.Tests.Pareto;

public sealed class DominanceTests
{
    [Theory]
    [InlineData(new[] { 2.0, 2.0 }, new[] { 1.0, 2.0 }, true)]
    [InlineData(new[] { 1.0, 2.0 }, new[] { 2.0, 2.0 }, false)]
    [InlineData(new[] { 2.0, 2.0 }, new[] { 2.0, 2.0 }, false)]
    [InlineData(new[] { 3.0, 1.0 }, new[] { 1.0, 3.0 }, false)]
    [InlineData(new[] { 0.0, 0.0, 1.0 }, new[] { 0.0, 0.0, double.NegativeInfinity }, true)]
    public void Dominates_Maximisation_BetterSomewhereAndNowhereWorse(double[] a, double[] b, bool expected) =>
        Assert.Equal(expected, Dominance.Dominates(a, b));

    [Fact]
    public void ConstrainedDominates_FeasibleBeatsInfeasible_SmallerViolationWins_EqualViolationsTie()
    {
        Assert.True(Dominance.ConstrainedDominates([0, 0], 0, [9, 9], 1));
        Assert.False(Dominance.ConstrainedDominates([9, 9], 1, [0, 0], 0));
        Assert.True(Dominance.ConstrainedDominates([], 0.5, [], 2));
        Assert.True(Dominance.ConstrainedDominates([], 2, [], double.PositiveInfinity));
        Assert.False(Dominance.ConstrainedDominates([9, 9], 1, [0, 0], 1));
        Assert.False(Dominance.ConstrainedDominates([], double.PositiveInfinity, [], double.PositiveInfinity));
        Assert.True(Dominance.ConstrainedDominates([2, 1], 0, [1, 1], 0));
    }

    [Fact]
    public void ParetoFront_HandPickedSet_NonDominatedIndicesIncludingDuplicates()
    {
        double[][] points = [[1, 5], [2, 4], [3, 3], [2, 2], [4, 1], [3, 3], [0, 0], [4, 0.5]];

        // (2,2) is dominated by (3,3), (0,0) by everything, (4,0.5) by (4,1); the two (3,3) do not dominate each other.
        Assert.Equal([0, 1, 2, 4, 5], Dominance.ParetoFront(points));
        Assert.Empty(Dominance.ParetoFront([]));
    }

    [Fact]
    public void NonDominatedSort_HandPickedSet_FrontsByRank()
    {
        double[][] points = [[4, 1], [3, 3], [1, 4], [2, 2], [1, 1], [3, 1], [0, 5]];

        var fronts = Dominance.NonDominatedSort(points);

        // Front 0: nothing dominates (4,1), (3,3), (1,4), (0,5). Without them (2,2) and (3,1) are incomparable;
        // (1,1) is dominated by both.
        Assert.Equal([[0, 1, 2, 6], [3, 5], [4]], fronts);
    }

    [Fact]
    public void NonDominatedSort_WithViolations_FeasibleFrontsThenInfeasibleByViolationThenFailed()
    {
        double[][] points = [[1, 1], [5, 5], [], [2, 0], [], [0, 0], [], [-7, -7]];
        double[] violations = [0, 2, double.PositiveInfinity, 0, 1, 0, 1, 0];

        var fronts = Dominance.NonDominatedSort(points, violations);

        // Feasible: (1,1) and (2,0) are incomparable; (0,0) is dominated by (1,1); (-7,-7) by (0,0).
        // The infeasible follow however good their scores: violation 1 (two points, a tie), then 2, then the failed one.
        Assert.Equal([[0, 3], [5], [7], [4, 6], [1], [2]], fronts);
    }

    [Fact]
    public void NonDominatedSort_NaNOrMixedLengths_Throws()
    {
        Assert.Throws<ArgumentException>(() => Dominance.NonDominatedSort([[1, double.NaN]]));
        Assert.Throws<ArgumentException>(() => Dominance.NonDominatedSort([[1, 2], [1, 2, 3]]));
        Assert.Throws<ArgumentException>(() => Dominance.NonDominatedSort([[1, 2]], [-1]));
        Assert.Throws<ArgumentException>(() => Dominance.NonDominatedSort([[1, 2]], [0, 0]));
    }
}
