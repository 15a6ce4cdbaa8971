using OptimizerGrpc.Trading;

namespace OptimizerGrpc.Optimization.Tests.Targets;

public sealed class TargetTests
{
    [Fact]
    public void RuleParametersTarget_Space_IsTheRulesRangesPrefixedByRuleName()
    {
        var target = new RuleParametersTarget([new MovingAverageCrossoverRule(), new RsiRule()]);

        var space = target.GetParameterSpace();

        Assert.Equal(["ma_crossover.fast_window", "ma_crossover.slow_window", "rsi.period", "rsi.oversold", "rsi.overbought"], space.Keys);
        Assert.Equal(99, space["ma_crossover.fast_window"].GridSize); // 2..100 step 1
        Assert.Equal(10, space["ma_crossover.fast_window"].Default);
        Assert.Equal(["ma_crossover.fast_window < ma_crossover.slow_window", "rsi.oversold < rsi.overbought"], target.GetRelationships());
    }

    [Fact]
    public void RuleParametersTarget_ValidateParameters_ReportsTheRulesCheckWithoutApplying()
    {
        var rule = new MovingAverageCrossoverRule(10, 50);
        var target = new RuleParametersTarget([rule]);

        var (ok, error) = target.ValidateParameters(new Dictionary<string, double> { ["ma_crossover.fast_window"] = 60 });

        Assert.False(ok);
        Assert.Contains("Invalid parameters for rule ma_crossover", error, StringComparison.Ordinal);
        Assert.Equal(10, rule.Fast);
        Assert.False(target.ValidateParameters(new Dictionary<string, double> { ["other.fast_window"] = 5 }).IsValid);
        Assert.False(target.ValidateParameters(new Dictionary<string, double> { ["fast_window"] = 5 }).IsValid);
    }

    [Fact]
    public void RuleParametersTarget_SetThenReset_RestoresInitialValues()
    {
        var rule = new MovingAverageCrossoverRule(10, 50);
        var target = new RuleParametersTarget([rule]);

        target.SetParameters(new Dictionary<string, double> { ["ma_crossover.fast_window"] = 20, ["ma_crossover.slow_window"] = 100 });
        Assert.Equal(100, target.GetParameters()["ma_crossover.slow_window"]);
        target.Reset();

        Assert.Equal((10, 50), (rule.Fast, rule.Slow));
        Assert.Throws<ArgumentException>(() => target.SetParameters(new Dictionary<string, double> { ["ma_crossover.fast_window"] = 70 }));
    }

    [Fact]
    public void RuleParametersTarget_ExplicitSpaceWithUnknownName_Throws() =>
        Assert.Throws<ArgumentException>(() => new RuleParametersTarget(
            [new RsiRule()], new Dictionary<string, ParameterDomain> { ["rsi.window"] = ParameterDomain.Integer(2, 5) }));

    [Fact]
    public void RuleWeightsTarget_Space_IsTheWeightGridPerRule()
    {
        var target = new RuleWeightsTarget([new MovingAverageCrossoverRule(), new BollingerBandsRule()], 0.0, 1.0, 0.1);

        var domain = target.GetParameterSpace()["bollinger_bands.weight"];

        Assert.Equal(11, domain.GridSize);
        Assert.True(domain.Contains(0.3));
        Assert.False(domain.Contains(0.35));
        Assert.Equal(1.0, target.GetParameters()["ma_crossover.weight"]);
        Assert.Equal("Weight ma_crossover.weight out of range [0, 1]: 1.5",
            target.ValidateParameters(new Dictionary<string, double> { ["ma_crossover.weight"] = 1.5 }).Error);
    }

    [Fact]
    public void PositionSizingTarget_SetParameters_ScalesPositions()
    {
        var sizer = new PositionSizer();
        var target = new PositionSizingTarget(sizer);
        double[] positions = [1, -1, 0];

        target.SetParameters(new Dictionary<string, double> { ["fraction"] = 0.5 });
        sizer.Apply(positions);

        Assert.Equal([0.5, -0.5, 0], positions);
        Assert.False(target.ValidateParameters(new Dictionary<string, double> { ["fraction"] = 1.5 }).IsValid);
        target.Reset();
        Assert.Equal(1.0, sizer.Fraction);
    }

    [Fact]
    public void RegimeDetectorTarget_Detect_LabelsTrendsAgainstTheMovingAverage()
    {
        var detector = new TrendRegimeDetector();
        var target = new RegimeDetectorTarget(detector);
        target.SetParameters(new Dictionary<string, double> { ["lookback"] = 2, ["threshold"] = 0.01 });

        // SMA(2) at t: (c[t-1] + c[t]) / 2; close/SMA - 1: t1 100/100 -> 0, t2 110/105 -> +4.8%, t3 100/105 -> -4.8%.
        var labels = detector.Detect([100, 100, 110, 100]);

        Assert.Equal([0, 0, 1, 2], labels);
        Assert.False(target.ValidateParameters(new Dictionary<string, double> { ["lookback"] = 1.5 }).IsValid);
        Assert.Equal(nameof(RegimeDetectorTarget), target.GetMetadata().Type);
    }
}
