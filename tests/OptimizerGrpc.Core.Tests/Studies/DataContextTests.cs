using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Core.Tests.Studies;

public sealed class DataContextTests
{
    [Fact]
    public void Whole_WholeSeriesLabelledAndBacktestedAsIs()
    {
        var whole = Assert.IsType<WholeSeriesContext>(DataContext.Whole);

        Assert.Equal("whole series", whole.Label);
        Assert.False(whole.EvaluateWholeSeries);
    }

    [Fact]
    public void BarRange_HalfOpen_LengthEndMinusStart()
    {
        Assert.Equal(20, new BarRange(40, 60).Length);
        Assert.Equal(0, new BarRange(5, 5).Length);
    }

    [Fact]
    public void RegimeContext_Segments_BarCountIsTheirTotalLength()
    {
        var context = new RegimeContext("bull", [new BarRange(0, 2), new BarRange(6, 7), new BarRange(10, 20)], "regime bull", true);

        Assert.Equal(13, context.BarCount); // 2 + 1 + 10
        Assert.True(context.EvaluateWholeSeries);
    }

    [Fact]
    public void WindowContext_SameWindowAndLabel_Equal()
    {
        Assert.Equal(
            new WindowContext(new BarRange(0, 40), "in-sample 0", false),
            new WindowContext(new BarRange(0, 40), "in-sample 0", false));
    }
}
