using OptimizerGrpc.Core.Methods.Tpe;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Tests.Methods.Tpe;

public sealed class SecondBasinTests
{
    private static readonly TpeCoding Coding = TpeTestCodings.WindowThresholdSide;

    [Theory]
    [InlineData(6, 6.0, 1, 0.4)] // w 4 / 21 = 0.190, t 4 / 10 = 0.4: the larger
    [InlineData(13, 2.0, 0, 11.0 / 21)] // w 11 / 21 = 0.524
    [InlineData(2, 7.0, 2, 0.5)] // t 5 / 10; the choice does not count
    [InlineData(2, 2.0, 2, 0.0)]
    public void Distance_IsTheLargestGapAsAShareOfItsRangeChoicesApart(double w, double t, double side, double expected) =>
        Assert.Equal(expected, SecondBasin.Distance(Coding, [2, 2.0, 0], [w, t, side]), 12);

    [Fact]
    public void Distance_LogScaleRange_CountsByRatio()
    {
        // 10..1000 on a log scale: coded ln v, range [ln 9.5, ln 1000.5] (width 4.657); 10 to 100 is ln 10 = 2.303 of it.
        var coding = new TpeCoding(new SearchSpace([new SearchParameter("w", new IntDomain(10, 1000, 1))]), logScaleRatio: 10);
        double expected = Math.Log(10) / (Math.Log(1000.5) - Math.Log(9.5));
        Assert.Equal(expected, SecondBasin.Distance(coding, coding.Encode([ParamValue.Int(10)]), coding.Encode([ParamValue.Int(100)])), 12);
    }

    [Fact]
    public void Find_TheBestGoodTrialAtLeastHalfARangeAway()
    {
        double[][] below = [[2, 2.0, 0], [6, 6.0, 1], [13, 2.0, 0], [2, 8.0, 1]];

        // The incumbent 0, then by score 1 (0.4 away: the same basin), then 3 (t 0.6 away) before 2 (w 0.524 away).
        Assert.Equal(3, SecondBasin.Find(Coding, below, [4, 3, 1, 2], incumbent: 0));
        Assert.Equal(2, SecondBasin.Find(Coding, below, [4, 3, 2, 1], incumbent: 0));
        Assert.Equal(0, SecondBasin.Find(Coding, below, [2, 3, 4, 1], incumbent: 2));
        Assert.Equal(-1, SecondBasin.Find(Coding, below[..2], [2, 1], incumbent: 0));

        // Equal scores: the earlier trial, as TPE orders its trials.
        Assert.Equal(2, SecondBasin.Find(Coding, below, [4, 3, 1, 1], incumbent: 0));
    }
}
