namespace OptimizerGrpc.Trading.Tests.Rules;

public sealed class RsiRuleTests
{
    [Fact]
    public void Compute_WilderSmoothing_MatchesHandValues()
    {
        // Changes +1, -1, +2, 0 with period 2 (Wilder 1978):
        // t=2: gain (1+0)/2=0.5, loss (0+1)/2=0.5 -> RSI 50
        // t=3: gain (0.5*1+2)/2=1.25, loss (0.5*1+0)/2=0.25 -> RS 5 -> RSI 100-100/6
        // t=4: gain 1.25/2=0.625, loss 0.25/2=0.125 -> RS 5 again
        var rsi = new double[5];

        RelativeStrengthIndex.Compute([10, 11, 10, 12, 12], 2, rsi);

        Assert.True(double.IsNaN(rsi[0]) && double.IsNaN(rsi[1]));
        Assert.Equal(50, rsi[2], 12);
        Assert.Equal(100 - (100.0 / 6), rsi[3], 12);
        Assert.Equal(100 - (100.0 / 6), rsi[4], 12);
    }

    [Fact]
    public void Compute_OnlyGains_Is100AndFlatIs50()
    {
        var rising = new double[3];
        var flat = new double[3];

        RelativeStrengthIndex.Compute([1, 2, 3], 2, rising);
        RelativeStrengthIndex.Compute([4, 4, 4], 2, flat);

        Assert.Equal(100, rising[2]);
        Assert.Equal(50, flat[2]);
    }

    [Fact]
    public void ComputePositions_EntersBelowOversoldAndExitsAboveOverbought()
    {
        // RSI (period 2): t=2 -> 0 (only losses), t=3 -> 50, t=4 -> gain 1.75 / loss 0.25 -> 87.5.
        double[] close = [10, 9, 8, 9, 12];

        var longOnly = new RsiRule(2, 30, 70).GeneratePositions(close);
        var withShort = new RsiRule(2, 30, 70, allowShort: true).GeneratePositions(close);

        Assert.Equal([0, 0, 1, 1, 0], longOnly);
        Assert.Equal([0, 0, 1, 1, -1], withShort);
    }

    [Fact]
    public void ValidateParameters_OversoldAboveOverbought_IsInvalid()
    {
        var (valid, error) = new RsiRule().ValidateParameters(new Dictionary<string, double> { ["oversold"] = 80 });

        Assert.False(valid);
        Assert.Equal("thresholds must satisfy 0 <= oversold < overbought <= 100, got 80 and 70.", error);
    }
}
