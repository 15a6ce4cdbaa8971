using OptimizerGrpc.Core.Analysis.Overfitting;
using OptimizerGrpc.Core.Expressions;
using OptimizerGrpc.Core.Metrics;
using OptimizerGrpc.Core.Scoring;
using OptimizerGrpc.Core.Sequences;
using OptimizerGrpc.Core.Studies;
using static OptimizerGrpc.Core.Tests.Sequences.PlanningFixture;

namespace OptimizerGrpc.Core.Tests.Scoring;

/// <summary>The return summary <see cref="OutcomeJudge"/> attaches to a judged trial for the overfitting statistics.</summary>
public sealed class OutcomeJudgeReturnsTests
{
    private static readonly StageDefinition TotalReturn =
        SequencePlanner.Plan(new SingleSequence(), Study(objectives: [new("total_return", true)]))[0];

    private static readonly TrialScorer Scorer = new(new MetricSettings(0, 252), ["total_return"], [], []);

    // 40 points alternating 1, 2, 1, ...: the return of an odd point is 2 / 1 - 1 = +1, of an even one 1 / 2 - 1 = -0.5.
    private static readonly BacktestSeries Record = new([.. Enumerable.Range(0, 40).Select(t => t % 2 == 0 ? 1.0 : 2.0)], []);

    private static TrialOutcome Outcome(BacktestSeries? record, long startBar = 0, TrialError? error = null, bool pruned = false) =>
        new(new Dictionary<string, double>(StringComparer.Ordinal), record, startBar, error, pruned);

    [Fact]
    public void Judge_CompletedWithFortyPointRecord_SummaryOfItsThirtyNineReturns()
    {
        var judged = OutcomeJudge.Judge(Outcome(Record), TotalReturn, Scorer, null);

        Assert.Equal(TrialState.Completed, judged.State);
        var returns = Assert.IsType<TrialReturns>(judged.Returns);
        Assert.Equal(ScoredReturns.StoredBlocks, returns.Blocks.BlockCount);
        // Points 1..39: twenty odd (+1) and nineteen even (-0.5).
        Assert.Equal(new ReturnSums(39, 20 - 9.5, 20 + 4.75, 20 - 2.375, 20 + 1.1875), returns.Blocks.Total);
        Assert.Null(returns.Regimes);
    }

    [Fact]
    public void Judge_AttributionWithRegimeSegments_PerRegimeSumsOnTheShiftedBars()
    {
        // The record starts at series bar 10: series bars are record points + 10. The stage scores every point; the
        // regimes' bars [11, 21) are points 1..10, [21, 24) + [30, 32) points 11, 12, 13, 20, 21, [48, 60) points 38
        // and 39 (clipped at the end), [5, 12) point 1 (clipped at the record's first point, which has no return).
        var stage = TotalReturn with
        {
            ScoreSegments = [(10, 50)],
            RegimeSegments = [[(11, 21)], [(21, 24), (30, 32)], [(48, 60)], [(5, 12)]],
        };

        var judged = OutcomeJudge.Judge(Outcome(Record, startBar: 10), stage, Scorer, null);

        Assert.Equal(TrialState.Completed, judged.State);
        Assert.Equal(39, judged.Returns!.Blocks.Total.Count);
        Assert.Equal(
            [
                new ReturnSums(10, 5 - 2.5, 5 + 1.25, 5 - 0.625, 5 + 0.3125), // five odd, five even
                new ReturnSums(5, 3 - 1, 3 + 0.5, 3 - 0.25, 3 + 0.125), // three odd, two even
                new ReturnSums(2, 1 - 0.5, 1 + 0.25, 1 - 0.125, 1 + 0.0625), // 39 odd, 38 even
                new ReturnSums(1, 1, 1, 1, 1), // point 1
            ],
            judged.Returns.Regimes!);
    }

    [Fact]
    public void Judge_InfeasibleWithRecord_SummaryAttached()
    {
        const string text = "total_return >= 5";
        var scorer = new TrialScorer(new MetricSettings(0, 252), ["total_return"], [], [new("big", CompiledExpression.Parse(text), [CompiledExpression.Parse(text)])]);

        var judged = OutcomeJudge.Judge(Outcome(Record), TotalReturn, scorer, null);

        Assert.Equal(TrialState.Infeasible, judged.State);
        Assert.Equal(39, judged.Returns!.Blocks.Total.Count);
    }

    [Fact]
    public void Judge_CompletedWithoutRecord_NoSummary()
    {
        var judged = OutcomeJudge.Judge(
            new TrialOutcome(new Dictionary<string, double> { ["total_return"] = 0.5 }, null, 0, null, false), TotalReturn, Scorer, null);

        Assert.Equal(TrialState.Completed, judged.State);
        Assert.Null(judged.Returns);
    }

    [Fact]
    public void Judge_CompletedWithTooShortRecord_NoSummary()
    {
        var judged = OutcomeJudge.Judge(Outcome(Record with { Equity = Record.Equity[..32] }), TotalReturn, Scorer, null);

        Assert.Equal(TrialState.Completed, judged.State);
        Assert.Null(judged.Returns); // 31 returns: fewer than 2 per block
    }

    [Fact]
    public void Judge_ClientErrorWithRecord_FailedWithoutSummary()
    {
        var judged = OutcomeJudge.Judge(Outcome(Record, error: new TrialError("", "boom")), TotalReturn, Scorer, null);

        Assert.Equal(TrialState.Failed, judged.State);
        Assert.Null(judged.Returns);
    }

    [Fact]
    public void Judge_MissingObjectiveWithRecord_FailedWithoutSummary()
    {
        var stage = TotalReturn with { Objectives = [new("total_return", true), new("sharpe_ratio", true)] };

        var judged = OutcomeJudge.Judge(Outcome(Record), stage, Scorer, null);

        Assert.Equal((TrialState.Failed, "objective 'sharpe_ratio' is missing from the outcome"), (judged.State, judged.Reason));
        Assert.Null(judged.Returns);
    }

    [Fact]
    public void Judge_ScoringFailsWithRecord_FailedWithoutSummary()
    {
        var scorer = new TrialScorer(new MetricSettings(0, 252), ["total_return"], [new("edge", CompiledExpression.Parse("total_return - fees"), true)], []);

        var judged = OutcomeJudge.Judge(Outcome(Record), TotalReturn, scorer, null);

        Assert.Equal(TrialState.Failed, judged.State);
        Assert.Null(judged.Returns);
    }

    [Fact]
    public void Judge_PrunedWithRecord_NoSummary()
    {
        var judged = OutcomeJudge.Judge(Outcome(Record, pruned: true), TotalReturn, Scorer, null);

        Assert.Equal(TrialState.Pruned, judged.State);
        Assert.Null(judged.Returns);
    }
}
