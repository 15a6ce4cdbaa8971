using OptimizerGrpc.Client;
using OptimizerGrpc.Trading;
using V1 = OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Optimization.Tests.Toolkit;

/// <summary>A toolkit rule added to a study (moved here from the client's tests with the extension).</summary>
public sealed class TradingRuleBuilderExtensionsTests
{
    [Fact]
    public void Target_FromRule_UsesRuleSpace()
    {
        var spec = new StudyBuilder("ma").Target(new MovingAverageCrossoverRule()).Maximize("sharpe_ratio").GridSearch(shuffle: true).Build().Spec;

        var target = Assert.Single(spec.Targets);
        Assert.Equal("ma_crossover", target.Name);
        Assert.Equal(["fast_window", "slow_window"], target.Parameters.Select(p => p.Name));
        Assert.Equal(400, target.Parameters[1].IntRange.High);
        Assert.True(spec.Method.Grid.Shuffle);
    }

    [Fact]
    public void Target_FromRule_IsARuleParametersTargetWithTheRulesRangesAndDefaults()
    {
        var target = Assert.Single(new StudyBuilder("rsi").Target(new RsiRule()).Build().Spec.Targets);

        Assert.Equal(("rsi", V1.TargetKind.RuleParameters), (target.Name, target.Kind));
        Assert.Equal(new V1.IntRange { Low = 2, High = 50, Step = 1 }, target.Parameters[0].IntRange);
        Assert.Equal(14, target.Parameters[0].DefaultValue.IntValue);
        Assert.Equal(new V1.FloatRange { Low = 5, High = 45, Step = 1 }, target.Parameters[1].FloatRange);
        Assert.Equal(30.0, target.Parameters[1].DefaultValue.FloatValue);
        Assert.Equal("Exit long (or enter short) above this RSI.", target.Parameters[2].Description);
    }
}
