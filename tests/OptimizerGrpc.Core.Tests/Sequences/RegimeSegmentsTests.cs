using OptimizerGrpc.Core.Sequences;
using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Core.Tests.Sequences;

public sealed class RegimeSegmentsTests
{
    [Fact]
    public void Of_RunsAndUnlabelledBars_HalfOpenRangesPerRegime()
    {
        // Bars 0-1 are regime 0, 2-4 regime 1, 5 no regime, 6 regime 0 again.
        var segments = RegimeSegments.Of([0, 0, 1, 1, 1, -1, 0], 2);

        Assert.Equal([new BarRange(0, 2), new BarRange(6, 7)], segments[0]);
        Assert.Equal([new BarRange(2, 5)], segments[1]);
    }

    [Fact]
    public void Of_AlternatingLabels_OneBarRuns()
    {
        var segments = RegimeSegments.Of([1, 0, 1], 2);

        Assert.Equal([new BarRange(1, 2)], segments[0]);
        Assert.Equal([new BarRange(0, 1), new BarRange(2, 3)], segments[1]);
    }

    [Fact]
    public void Of_RegimeWithoutBars_EmptyList()
    {
        var segments = RegimeSegments.Of([-1, -1, 0], 3);

        Assert.Equal([new BarRange(2, 3)], segments[0]);
        Assert.Empty(segments[1]);
        Assert.Empty(segments[2]);
    }

    [Fact]
    public void Of_NoLabels_OneEmptyListPerRegime()
    {
        var segments = RegimeSegments.Of([], 2);

        Assert.Equal(2, segments.Length);
        Assert.All(segments, Assert.Empty);
    }
}
