using OptimizerGrpc.Core.Analysis;
using OptimizerGrpc.Core.Sequences;
using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;
using static OptimizerGrpc.Core.Tests.Analysis.AnalysisFixture;
using static OptimizerGrpc.Core.Tests.Sequences.PlanningFixture;

namespace OptimizerGrpc.Core.Tests.Analysis;

public sealed class TargetWinnersTests
{
    private static readonly StageDefinition MaAndStop =
        SequencePlanner.Plan(new SequentialSequence([Stage("", "p", "rsi"), Stage("", "p", "ma", "stop")]), Study())[1];

    [Fact]
    public void Of_TargetOfTheStage_ItsParametersWithShortNamesAndTheFirstObjective()
    {
        var best = Trial(17, 1, Params(3, 20, 14, "pct"), [1.25, 0.4]);

        var winner = TargetWinners.Of("ma", best, MaAndStop);

        Assert.Equal("ma", winner.Target);
        Assert.Equal("stage-1", winner.StageId);
        Assert.Equal(17, winner.TrialNumber);
        Assert.Equal("sharpe_ratio", winner.Metric);
        Assert.Equal(1.25, winner.BestScore);
        Assert.Equal([KeyValuePair.Create("fast", ParamValue.Int(3)), KeyValuePair.Create("slow", ParamValue.Int(20))], winner.BestParams);
        Assert.Equal([KeyValuePair.Create("kind", ParamValue.String("pct"))], TargetWinners.Of("stop", best, MaAndStop).BestParams);
    }

    [Fact]
    public void Of_TargetIsAPrefixOfAnother_OnlyParametersAfterItsDot()
    {
        var space = new SearchSpace([new SearchParameter("ma.len", new IntDomain(1, 9, 1)), new SearchParameter("mac.len", new IntDomain(1, 9, 1))]);
        var best = Trial(1, 1, [ParamValue.Int(2), ParamValue.Int(7)], [0.5], space: space);

        var winner = TargetWinners.Of("ma", best, MaAndStop);

        Assert.Equal([KeyValuePair.Create("len", ParamValue.Int(2))], winner.BestParams);
    }

    [Fact]
    public void Of_NoObjectives_EmptyMetricAndNaNScore()
    {
        var stage = MaAndStop with { Objectives = [] };

        var winner = TargetWinners.Of("ma", Trial(4, 1, Params(1, 10, 7, "atr"), []), stage);

        Assert.Equal("", winner.Metric);
        Assert.True(double.IsNaN(winner.BestScore));
    }
}
