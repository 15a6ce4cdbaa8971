using OptimizerGrpc.Core.Methods.Grid;
using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Tests.Methods.Grid;

public sealed class GridSearchTests
{
    private static SearchSpace Space(params (string Name, ParameterDomain Domain)[] ps) =>
        new(ps.Select(p => new SearchParameter(p.Name, p.Domain)).ToArray());

    [Fact]
    public void Ask_TwoIntRanges_EnumeratesLexicographicallyLastParameterFastest()
    {
        var grid = new GridSearch(Space(("a.x", new IntDomain(1, 2, 1)), ("a.y", new IntDomain(10, 30, 10))), new GridSettings(), null, 1);
        var points = new List<ParamValue[]>();

        int n = grid.Ask(100, points);

        Assert.Equal(6, n);
        Assert.True(grid.IsExhausted);
        Assert.Equal(
            ["1,10", "1,20", "1,30", "2,10", "2,20", "2,30"],
            points.Select(p => $"{p[0]},{p[1]}"));
    }

    [Fact]
    public void Constructor_BillionPointGrid_CostsNothingUpFrontAndDecodesAnyPoint()
    {
        var space = Space(Enumerable.Range(0, 9).Select(i => ($"t.p{i}", (ParameterDomain)new IntDomain(0, 9, 1))).ToArray());
        var grid = new GridSearch(space, new GridSettings(), null, 1);
        var points = new List<ParamValue[]>();

        grid.Ask(3, points);

        Assert.Equal(1_000_000_000, grid.Size);
        Assert.Equal(3, grid.Position);
        Assert.Equal("0,0,0,0,0,0,0,0,2", string.Join(',', points[2].Select(v => v.AsInt)));
        Assert.Equal("9,9,9,9,9,9,9,9,9", string.Join(',', grid.Decode(999_999_999).Select(v => v.AsInt)));
        Assert.Equal("1,2,3,4,5,6,7,8,9", string.Join(',', grid.Decode(123_456_789).Select(v => v.AsInt)));
    }

    [Fact]
    public void Ask_WithFeasibilityFilter_SkipsViolatingPoints()
    {
        var grid = new GridSearch(
            Space(("ma.fast", new IntDomain(1, 4, 1)), ("ma.slow", new IntDomain(1, 4, 1))),
            new GridSettings(),
            p => p[0].AsInt < p[1].AsInt,
            1);
        var points = new List<ParamValue[]>();

        grid.Ask(100, points);

        Assert.Equal(6, points.Count); // C(4, 2) pairs with fast < slow
        Assert.All(points, p => Assert.True(p[0].AsInt < p[1].AsInt));
    }

    [Fact]
    public void Ask_Shuffled_VisitsEveryPointExactlyOnceInAnotherOrder()
    {
        var space = Space(("a.x", new IntDomain(0, 9, 1)), ("a.y", new IntDomain(0, 11, 1)));
        var grid = new GridSearch(space, new GridSettings(Shuffle: true), null, 42);
        var points = new List<ParamValue[]>();

        grid.Ask(1000, points);

        var keys = points.Select(p => (p[0].AsInt * 12) + p[1].AsInt).ToList();
        Assert.Equal(120, keys.Count);
        Assert.Equal(Enumerable.Range(0, 120).Select(i => (long)i), keys.Order());
        Assert.NotEqual(keys.Order(), keys);
    }

    [Fact]
    public void ReadSnapshot_AfterSomeAsks_ContinuesWithTheSamePoints()
    {
        var space = Space(("a.x", new IntDomain(0, 99, 1)), ("a.y", new FloatDomain(0, 1, null, false)));
        var original = new GridSearch(space, new GridSettings(FloatPoints: 5, Shuffle: true), null, 9);
        original.Ask(37, []);
        using var stream = new MemoryStream();
        original.WriteSnapshot(new BinaryWriter(stream));
        stream.Position = 0;
        var restored = new GridSearch(space, new GridSettings(FloatPoints: 5, Shuffle: true), null, 9);
        restored.ReadSnapshot(new BinaryReader(stream));

        var a = new List<ParamValue[]>();
        var b = new List<ParamValue[]>();
        original.Ask(50, a);
        restored.Ask(50, b);

        Assert.Equal(a.Select(p => string.Join(',', p)), b.Select(p => string.Join(',', p)));
    }

    [Fact]
    public void GridValue_FloatRangeWithoutStep_GivesEvenlySpacedPointsIncludingBounds()
    {
        var linear = new FloatDomain(0, 1, null, false);
        var log = new FloatDomain(1, 100, null, true);

        Assert.Equal([0, 0.25, 0.5, 0.75, 1], Enumerable.Range(0, 5).Select(i => linear.GridValue(i, 5).AsFloat));
        Assert.Equal(10, log.GridValue(1, 3).AsFloat, 12);
        Assert.Equal(100, log.GridValue(2, 3).AsFloat, 12);
    }

    [Fact]
    public void StepCount_FloatStepThatRoundsBadly_KeepsTheLastPoint()
    {
        var d = new FloatDomain(0, 1, 0.1, false);

        Assert.Equal(11, d.StepCount);
        Assert.Equal(1.0, d.GridValue(10, 0).AsFloat);
    }
}
