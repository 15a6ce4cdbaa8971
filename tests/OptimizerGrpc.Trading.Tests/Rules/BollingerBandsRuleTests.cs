namespace OptimizerGrpc.Trading.Tests.Rules;

public sealed class BollingerBandsRuleTests
{
    // Window 3: t=2 mean 10 std 0; t=3 [10,10,7] mean 9 std sqrt(2); t=4 [10,7,10] mean 9 std sqrt(2);
    // t=5 [7,10,13] mean 10 std sqrt(6); t=6 [10,13,10] mean 11 std sqrt(2) (population std).
    private static readonly double[] Close = [10, 10, 10, 7, 10, 13, 10];

    [Fact]
    public void Compute_RollingMeanAndPopulationStd_MatchHandValues()
    {
        var mean = new double[Close.Length];
        var std = new double[Close.Length];

        BollingerBands.Compute(Close, 3, mean, std);

        Assert.True(double.IsNaN(mean[1]) && double.IsNaN(std[1]));
        Assert.Equal([10, 9, 9, 10, 11], mean[2..].Select(m => Math.Round(m, 12)));
        Assert.Equal(0, std[2], 12);
        Assert.Equal(Math.Sqrt(2), std[3], 12);
        Assert.Equal(Math.Sqrt(2), std[4], 12);
        Assert.Equal(Math.Sqrt(6), std[5], 12);
        Assert.Equal(Math.Sqrt(2), std[6], 12);
    }

    [Fact]
    public void ComputePositions_BuysBelowLowerBandAndExitsAtMiddle()
    {
        // numStd 1: t=3 close 7 < 9 - 1.414 -> long; t=4 close 10 >= middle 9 -> exit;
        // t=5 close 13 > 10 + 2.449 -> short (when allowed); t=6 close 10 <= middle 11 -> cover.
        var longOnly = new BollingerBandsRule(3, 1).GeneratePositions(Close);
        var withShort = new BollingerBandsRule(3, 1, allowShort: true).GeneratePositions(Close);

        Assert.Equal([0, 0, 0, 1, 0, 0, 0], longOnly);
        Assert.Equal([0, 0, 0, 1, 0, -1, 0], withShort);
    }

    [Fact]
    public void Compute_HighPriceLevel_StdStaysAccurate()
    {
        // Shifting by the first close avoids catastrophic cancellation in the sum of squares.
        double[] close = [1e9 + 1, 1e9 + 2, 1e9 + 3];
        var mean = new double[3];
        var std = new double[3];

        BollingerBands.Compute(close, 3, mean, std);

        Assert.Equal(Math.Sqrt(2.0 / 3), std[2], 9);
    }

    [Fact]
    public void ValidateParameters_NonPositiveWidth_IsInvalid()
    {
        var (valid, error) = new BollingerBandsRule().ValidateParameters(new Dictionary<string, double> { ["num_std"] = 0 });

        Assert.False(valid);
        Assert.Equal("num_std must be > 0, got 0.", error);
    }
}
