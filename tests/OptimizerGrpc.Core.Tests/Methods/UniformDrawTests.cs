using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Randomness;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Tests.Methods;

public sealed class UniformDrawTests
{
    private static readonly SearchSpace Space = new(
    [
        new SearchParameter("a.n", new IntDomain(1, 9, 1)),
        new SearchParameter("a.x", new FloatDomain(-2, 2, null, false)),
    ]);

    [Fact]
    public void TryFeasible_RejectsUntilThePredicateAcceptsAndStaysInTheDomain()
    {
        var rng = new Xoshiro256StarStar(5);
        Assert.True(UniformDraw.TryFeasible(Space, p => p[0].AsInt >= 8 && p[1].AsFloat > 1, rng, out var point));
        Assert.InRange(point[0].AsInt, 8, 9);
        Assert.InRange(point[1].AsFloat, 1, 2);
    }

    [Fact]
    public void TryFeasible_NothingFeasible_GivesUpAfterMaxDrawsWithAnEmptyPoint()
    {
        int asked = 0;
        Assert.False(UniformDraw.TryFeasible(Space, _ => ++asked < 0, new Xoshiro256StarStar(1), out var point));
        Assert.Equal(UniformDraw.MaxDraws, asked);
        Assert.Empty(point);
    }

    [Fact]
    public void Point_SameSeed_SameDrawsAsRandomSearch()
    {
        var drawn = UniformDraw.Point(Space, new Xoshiro256StarStar(42));
        var proposed = new List<ParamValue[]>();
        new RandomSearch(Space, null, 42).Ask(1, proposed);
        Assert.Equal(drawn, proposed[0]);
    }
}
