using OptimizerGrpc.Core.Analysis;
using OptimizerGrpc.Core.Sequences;
using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;
using static OptimizerGrpc.Core.Tests.Analysis.AnalysisFixture;
using static OptimizerGrpc.Core.Tests.Sequences.PlanningFixture;

namespace OptimizerGrpc.Core.Tests.Analysis;

public sealed class StudyOutcomesTests
{
    [Fact]
    public void Build_SequentialStudyRevisitingATarget_LatestWinnerStandsAndMovesToTheEnd()
    {
        // Stages: 0 searches ma, 1 searches rsi, 2 searches ma again.
        var stages = SequencePlanner.Plan(new SequentialSequence([Stage("", "p", "ma"), Stage("", "p", "rsi"), Stage("", "p", "ma")]), Study());
        var first = Trial(3, 0, Params(2, 10, 7, "atr"), [0.5]);
        var second = Trial(7, 1, Params(2, 10, 14, "atr"), [0.8]);
        var third = Trial(12, 2, Params(4, 20, 14, "atr"), [0.9]);

        var outcome = StudyOutcomes.Build(Study(third, View(stages[0], first), View(stages[1], second), View(stages[2], third)));

        Assert.Equal([("rsi", 7L, "stage-1"), ("ma", 12L, "stage-2")], outcome.Targets.Select(t => (t.Target, t.TrialNumber, t.StageId)));
        Assert.Equal([KeyValuePair.Create("fast", ParamValue.Int(4)), KeyValuePair.Create("slow", ParamValue.Int(20))], outcome.Targets[1].BestParams);
        Assert.Equal([3L, 7L, 12L], outcome.Stages.Select(s => Assert.Single(s.Targets).TrialNumber));
        Assert.Same(third, outcome.Best);
        Assert.Empty(outcome.Regimes);
        Assert.Null(outcome.WalkForward);
    }

    [Fact]
    public void Build_StageWithoutBest_NoWinnersForIt()
    {
        var stages = SequencePlanner.Plan(new SequentialSequence([]), Study());
        var best = Trial(1, 0, Params(1, 10, 7, "atr"), [0.1]);

        var outcome = StudyOutcomes.Build(Study(best, View(stages[0], best), View(stages[1], null, StageState.Running), View(stages[2], null, StageState.Pending)));

        Assert.Equal([1, 0, 0], outcome.Stages.Select(s => s.Targets.Count));
        Assert.Equal(["ma"], outcome.Targets.Select(t => t.Target));
    }

    [Fact]
    public void Build_RegimeStudy_RegimeResultsWithBarCountsAndSkips()
    {
        // bull: bars [0, 2) and [6, 7) = 3; bear: [2, 5) = 3; flat: none, skipped below min_regime_data 1.
        var data = new DataDescription(7, [0, 0, 1, 1, 1, -1, 0], ["bull", "bear", "flat"]);
        var stages = SequencePlanner.Plan(new RegimeSpecificSequence(null, 1, "rsi", false), Study(data: data));
        var bull = Trial(4, 0, Params(2, 30, 7, "pct"), [1.5]);
        var bear = Trial(9, 1, Params(5, 10, 7, "atr"), [0.2]);
        string reason = stages[2].SkipReason;

        var outcome = StudyOutcomes.Build(Study(bull, View(stages[0], bull), View(stages[1], bear), View(stages[2], null, StageState.Skipped, reason)));

        Assert.Equal("regime 'flat' has 0 bars, fewer than min_regime_data (1)", reason);
        Assert.Equal(
            [("bull", 3L, false, ""), ("bear", 3L, false, ""), ("flat", 0L, true, reason)],
            outcome.Regimes.Select(r => (r.Regime, r.BarCount, r.Skipped, r.SkipReason)));
        Assert.Equal([("ma", 4L), ("stop", 4L)], outcome.Regimes[0].Targets.Select(t => (t.Target, t.TrialNumber)));
        Assert.Equal([KeyValuePair.Create("kind", ParamValue.String("atr"))], outcome.Regimes[1].Targets[1].BestParams);
        Assert.Empty(outcome.Regimes[2].Targets);
        Assert.Empty(outcome.Targets); // regime winners are per regime, not study-wide
    }

    [Fact]
    public void Build_WalkForwardStudy_SummaryOfItsWindows()
    {
        var stages = SequencePlanner.Plan(new WalkForwardSequence(null, 40, 20, null, false, false), Study(data: new DataDescription(60, [], [])));

        var outcome = StudyOutcomes.Build(Study(null, View(stages[0], null), View(stages[1], null)));

        var window = Assert.Single(outcome.WalkForward!.Windows);
        Assert.Equal((new BarRange(0, 40), new BarRange(40, 60)), (window.InSample, window.OutOfSample));
    }
}
