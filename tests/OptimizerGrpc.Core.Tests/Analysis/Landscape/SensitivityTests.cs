using OptimizerGrpc.Core.Analysis.Landscape;
using OptimizerGrpc.Core.Spaces;
using static OptimizerGrpc.Core.Tests.Analysis.Landscape.LandscapeStudy;

namespace OptimizerGrpc.Core.Tests.Analysis.Landscape;

public sealed class SensitivityTests
{
    private static readonly LandscapeOptions TwoBins = new(Bins: 2) { Sensitivity = new SensitivityOptions(PairParameters: 3) };

    // a: int 1..3 (a cell per value), b: float [0, 1] in two bins, c: a choice.
    private static LandscapeReport Report(LandscapeOptions options)
    {
        var stage = Stage(Space(("a", new IntDomain(1, 3, 1)), ("b", new FloatDomain(0, 1, null, false)), ("c", new CategoricalDomain(["x", "y"]))));
        return Analyze(stage,
        [
            (1.0, [I(1), F(0.1), S("x")]),
            (3.0, [I(1), F(0.6), S("y")]),
            (5.0, [I(2), F(0.2), S("x")]),
            (2.0, [I(2), F(0.9), S("x")]),
            (4.0, [I(3), F(0.55), S("y")]),
        ], options);
    }

    [Fact]
    public void Sensitivity_DiscreteParameter_HasACellPerValueWithCountBestAndMean()
    {
        var a = Report(TwoBins).Sensitivity[0];

        Assert.Equal(CellKind.Value, a.Kind);
        Assert.Equal([I(1), I(2), I(3)], a.Cells.Select(c => c.Low));
        Assert.Equal([I(1), I(2), I(3)], a.Cells.Select(c => c.High));
        Assert.Equal([2L, 2, 1], a.Cells.Select(c => c.Count));
        Assert.Equal([3.0, 5, 4], a.Cells.Select(c => c.Best));
        Assert.Equal([2.0, 3.5, 4], a.Cells.Select(c => c.Mean));
    }

    [Fact]
    public void Sensitivity_ContinuousParameter_HasEqualUnitBins()
    {
        var b = Report(TwoBins).Sensitivity[1];

        Assert.Equal(CellKind.Bin, b.Kind);
        Assert.Equal([F(0), F(0.5)], b.Cells.Select(c => c.Low));
        Assert.Equal([F(0.5), F(1)], b.Cells.Select(c => c.High));
        Assert.Equal([0.0, 0.5], b.Cells.Select(c => c.UnitLow));
        Assert.Equal([2L, 3], b.Cells.Select(c => c.Count));
        Assert.Equal([5.0, 4], b.Cells.Select(c => c.Best));
        Assert.Equal([3.0, 3], b.Cells.Select(c => c.Mean));
    }

    [Fact]
    public void Sensitivity_Categorical_HasACellPerChoice()
    {
        var c = Report(TwoBins).Sensitivity[2];

        Assert.Equal(CellKind.Choice, c.Kind);
        Assert.Equal([S("x"), S("y")], c.Cells.Select(x => x.Low));
        Assert.Equal([3L, 2], c.Cells.Select(x => x.Count));
        Assert.Equal([5.0, 4], c.Cells.Select(x => x.Best));
        Assert.Equal(8.0 / 3, c.Cells[0].Mean, 12);
        Assert.Equal(3.5, c.Cells[1].Mean);
    }

    [Fact]
    public void Sensitivity_EmptyCell_HasCountZeroAndNaNScores()
    {
        var stage = Stage(Space(("a", new IntDomain(0, 2, 1))));

        var cells = Analyze(stage, [(1.0, [I(0)]), (2.0, [I(2)])]).Sensitivity[0].Cells;

        Assert.Equal(0, cells[1].Count);
        Assert.True(double.IsNaN(cells[1].Best));
        Assert.True(double.IsNaN(cells[1].Mean));
    }

    [Fact]
    public void Sensitivity_DiscreteParameterAboveMaxLevels_IsBinnedWithHalfOpenValueEdges()
    {
        // 100 values in 10 bins: values 1..10 sit at unit (k + 0.5) / 100 < 0.1, so bin 0 is [1, 11).
        var stage = Stage(Space(("n", new IntDomain(1, 100, 1))));

        var n = Analyze(stage, [(1.0, [I(1)]), (2.0, [I(10)]), (3.0, [I(11)]), (4.0, [I(100)])]).Sensitivity[0];

        Assert.Equal(CellKind.Bin, n.Kind);
        Assert.Equal(10, n.Cells.Count);
        Assert.Equal((I(1), I(11)), (n.Cells[0].Low, n.Cells[0].High));
        Assert.Equal((I(91), I(100)), (n.Cells[9].Low, n.Cells[9].High));
        Assert.Equal([2L, 1, 0, 0, 0, 0, 0, 0, 0, 1], n.Cells.Select(c => c.Count));
    }

    [Fact]
    public void Surface_PairOfParameters_HoldsTheBestScorePerCellAndNaNWhereEmpty()
    {
        var surfaces = Report(TwoBins).Surfaces;

        Assert.Equal(3, surfaces.Count);
        var ac = surfaces.Single(s => new[] { s.RowParameter, s.ColumnParameter }.Order().SequenceEqual(["a", "c"]));
        double At(int a, int c) => ac.RowParameter == "a" ? ac.BestAt(a, c) : ac.BestAt(c, a);
        long CountAt(int a, int c) => ac.RowParameter == "a" ? ac.CountAt(a, c) : ac.CountAt(c, a);
        Assert.Equal(6, ac.Best.Count);
        Assert.Equal(1.0, At(0, 0));
        Assert.Equal(3.0, At(0, 1));
        Assert.Equal(5.0, At(1, 0));
        Assert.Equal(2, CountAt(1, 0));
        Assert.True(double.IsNaN(At(1, 1)));
        Assert.True(double.IsNaN(At(2, 0)));
        Assert.Equal(0, CountAt(2, 0));
        Assert.Equal(4.0, At(2, 1));
    }

    [Fact]
    public void Surface_PairParameters_LimitsSurfacesToPairsOfTheMostImportant()
    {
        var report = Report(TwoBins with { Sensitivity = new SensitivityOptions(PairParameters: 2) });

        var surface = Assert.Single(report.Surfaces);
        Assert.Equal(report.Importance[0].Parameter, surface.RowParameter);
        Assert.Equal(report.Importance[1].Parameter, surface.ColumnParameter);
        Assert.Empty(Report(TwoBins with { Sensitivity = new SensitivityOptions(PairParameters: 0) }).Surfaces);
    }
}
