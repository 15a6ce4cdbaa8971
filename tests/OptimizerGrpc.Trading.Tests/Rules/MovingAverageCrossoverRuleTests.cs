namespace OptimizerGrpc.Trading.Tests.Rules;

public sealed class MovingAverageCrossoverRuleTests
{
    // Hand-computed: fast(2)/slow(3) means at t=2..6 are 2.5/2, 3.5/3, 3.5/3.33, 2.5/3, 1.5/2.
    private static readonly double[] Close = [1, 2, 3, 4, 3, 2, 1];

    [Fact]
    public void ComputePositions_LongOnly_LongWhileFastAboveSlow()
    {
        var positions = new MovingAverageCrossoverRule(2, 3).GeneratePositions(Close);

        Assert.Equal([0, 0, 1, 1, 1, 0, 0], positions);
    }

    [Fact]
    public void ComputePositions_AllowShort_ShortWhileFastBelowSlow()
    {
        var positions = new MovingAverageCrossoverRule(2, 3, allowShort: true).GeneratePositions(Close);

        Assert.Equal([0, 0, 1, 1, 1, -1, -1], positions);
    }

    [Fact]
    public void ComputePositions_EqualAverages_IsFlat()
    {
        var positions = new MovingAverageCrossoverRule(2, 3, allowShort: true).GeneratePositions([5, 5, 5, 5]);

        Assert.Equal([0, 0, 0, 0], positions);
    }

    [Fact]
    public void ComputePositions_SeriesShorterThanSlowWindow_IsFlat()
    {
        var positions = new MovingAverageCrossoverRule(2, 10).GeneratePositions([1, 2, 3]);

        Assert.Equal([0, 0, 0], positions);
    }

    [Fact]
    public void ValidateParameters_FastNotBelowSlow_IsInvalidWithReason()
    {
        var rule = new MovingAverageCrossoverRule();

        var (valid, error) = rule.ValidateParameters(new Dictionary<string, double> { ["fast_window"] = 60 });

        Assert.False(valid);
        Assert.Equal("fast_window (60) must be less than slow_window (50).", error);
        Assert.Equal(10, rule.Fast);
    }

    [Theory]
    [InlineData("fast_window", 2.5, "fast_window must be a whole number, got 2.5.")]
    [InlineData("window", 3, "unknown parameter 'window'; expected one of fast_window, slow_window.")]
    [InlineData("fast_window", 0, "fast_window must be >= 1, got 0.")]
    public void ValidateParameters_BadValue_ExplainsWhy(string name, double value, string expected)
    {
        var (valid, error) = new MovingAverageCrossoverRule().ValidateParameters(new Dictionary<string, double> { [name] = value });

        Assert.False(valid);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void SetParameters_Valid_ChangesValuesAndGetParametersReturnsThem()
    {
        var rule = new MovingAverageCrossoverRule();

        rule.SetParameters(new Dictionary<string, double> { ["fast_window"] = 20, ["slow_window"] = 100 });

        Assert.Equal(20, rule.GetParameters()["fast_window"]);
        Assert.Equal(100, rule.Slow);
        Assert.Throws<ArgumentException>(() => rule.SetParameters(new Dictionary<string, double> { ["slow_window"] = 5 }));
        Assert.Equal(100, rule.Slow);
    }

    [Fact]
    public void ParameterSpace_DescribesBothWindows()
    {
        var space = new MovingAverageCrossoverRule().ParameterSpace;

        Assert.Equal(["fast_window", "slow_window"], space.Select(p => p.Name));
        Assert.All(space, p => Assert.Equal(RuleParameterKind.Integer, p.Kind));
    }
}
