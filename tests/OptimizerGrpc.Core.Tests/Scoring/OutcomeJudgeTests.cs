using OptimizerGrpc.Core.Expressions;
using OptimizerGrpc.Core.Metrics;
using OptimizerGrpc.Core.Scoring;
using OptimizerGrpc.Core.Sequences;
using OptimizerGrpc.Core.Studies;
using static OptimizerGrpc.Core.Tests.Sequences.PlanningFixture;

namespace OptimizerGrpc.Core.Tests.Scoring;

public sealed class OutcomeJudgeTests
{
    private static readonly ObjectiveDefinition[] SharpeAndDrawdown = [new("sharpe_ratio", true), new("max_drawdown", false)];

    private static readonly StageDefinition Main = SequencePlanner.Plan(new SingleSequence(), Study(objectives: SharpeAndDrawdown))[0];

    // Walk-forward over 6 bars, in 2, out 2, step 2: stage 1 validates window 0 on bars [2, 4).
    private static StageDefinition Validation(bool attribution) => SequencePlanner.Plan(
        new WalkForwardSequence(null, 2, 2, 2, false, attribution),
        Study(data: new DataDescription(6, [], [])))[1];

    private static readonly TrialScorer ClientValuesOnly = new(new MetricSettings(0, null), [], [], []);

    private static TrialOutcome Outcome(
        Dictionary<string, double>? values = null, BacktestSeries? record = null, long startBar = 0, TrialError? error = null, bool pruned = false) =>
        new(values ?? [], record, startBar, error, pruned);

    private static Dictionary<string, double> Values(double sharpe, double drawdown, double trades = 40) =>
        new() { ["max_drawdown"] = drawdown, ["sharpe_ratio"] = sharpe, ["trades"] = trades };

    [Fact]
    public void Judge_ClientErrorWithType_FailedWithTypeAndMessageAndNothingRecorded()
    {
        var judged = OutcomeJudge.Judge(Outcome(Values(1, 0.1), error: new TrialError("ValueError", "window too short")), Main, ClientValuesOnly, null);

        Assert.Equal(TrialState.Failed, judged.State);
        Assert.Equal("client error: ValueError: window too short", judged.Reason);
        Assert.Empty(judged.Values);
        Assert.Empty(judged.ObjectiveValues);
        Assert.Empty(judged.WindowEquity);
    }

    [Fact]
    public void Judge_ClientErrorWithoutTypeAndPruned_FailedWithTheMessage()
    {
        var judged = OutcomeJudge.Judge(Outcome(error: new TrialError("", "boom"), pruned: true), Main, ClientValuesOnly, null);

        Assert.Equal((TrialState.Failed, "client error: boom"), (judged.State, judged.Reason));
    }

    [Fact]
    public void Judge_EveryObjectivePresent_CompletedWithObjectiveValuesInObjectiveOrder()
    {
        var judged = OutcomeJudge.Judge(Outcome(Values(1.5, 0.2)), Main, ClientValuesOnly, null);

        Assert.Equal((TrialState.Completed, ""), (judged.State, judged.Reason));
        Assert.Equal([1.5, 0.2], judged.ObjectiveValues);
        Assert.Equal(40, judged.Values["trades"]);
        Assert.Empty(judged.WindowEquity); // not a validation stage
    }

    [Fact]
    public void Judge_MissingObjective_FailedNamingItAndKeepingTheValues()
    {
        var judged = OutcomeJudge.Judge(Outcome(new() { ["sharpe_ratio"] = 1.5 }), Main, ClientValuesOnly, null);

        Assert.Equal((TrialState.Failed, "objective 'max_drawdown' is missing from the outcome"), (judged.State, judged.Reason));
        Assert.Equal([1.5], judged.ObjectiveValues);
        Assert.Equal(1.5, judged.Values["sharpe_ratio"]);
    }

    [Theory]
    [InlineData(double.NaN, "objective 'sharpe_ratio' is NaN, not a finite number")]
    [InlineData(double.PositiveInfinity, "objective 'sharpe_ratio' is Infinity, not a finite number")]
    [InlineData(double.NegativeInfinity, "objective 'sharpe_ratio' is -Infinity, not a finite number")]
    public void Judge_NonFiniteObjective_FailedWithTheValue(double sharpe, string reason)
    {
        var judged = OutcomeJudge.Judge(Outcome(Values(sharpe, 0.2)), Main, ClientValuesOnly, null);

        Assert.Equal((TrialState.Failed, reason), (judged.State, judged.Reason));
    }

    [Fact]
    public void Judge_ConstraintFails_InfeasibleWithReasonAndObjectiveValues()
    {
        const string text = "trades >= 30";
        var scorer = new TrialScorer(new MetricSettings(0, null), [], [], [new("min_trades", CompiledExpression.Parse(text), [CompiledExpression.Parse(text)])]);

        var judged = OutcomeJudge.Judge(Outcome(Values(1.5, 0.2, trades: 12)), Main, scorer, null);

        Assert.Equal((TrialState.Infeasible, "constraint 'min_trades' failed: trades >= 30 (trades = 12)"), (judged.State, judged.Reason));
        Assert.Equal([1.5, 0.2], judged.ObjectiveValues);
    }

    [Fact]
    public void Judge_Pruned_PrunedWithValuesButNoObjectiveValues()
    {
        var judged = OutcomeJudge.Judge(Outcome(Values(1.5, 0.2), pruned: true), Main, ClientValuesOnly, null);

        Assert.Equal((TrialState.Pruned, "pruned by the client"), (judged.State, judged.Reason));
        Assert.Equal(1.5, judged.Values["sharpe_ratio"]);
        Assert.Empty(judged.ObjectiveValues);
    }

    [Fact]
    public void Judge_ScoringFails_FailedWithTheScorersReason()
    {
        var scorer = new TrialScorer(new MetricSettings(0, null), [], [new("edge", CompiledExpression.Parse("sharpe_ratio - fees"), true)], []);

        var judged = OutcomeJudge.Judge(Outcome(Values(1.5, 0.2)), Main, scorer, null);

        Assert.Equal((TrialState.Failed, "custom metric 'edge' needs 'fees', which the outcome does not have"), (judged.State, judged.Reason));
        Assert.Empty(judged.ObjectiveValues);
    }

    [Fact]
    public void Judge_VerdictScoredBeforehand_UsedInsteadOfScoringAgain()
    {
        var scored = new ScoringVerdict(new Dictionary<string, double> { ["sharpe_ratio"] = 3, ["max_drawdown"] = 0.5 }, true, "");

        var judged = OutcomeJudge.Judge(Outcome(Values(1.5, 0.2)), Main, ClientValuesOnly, scored);

        Assert.Equal([3, 0.5], judged.ObjectiveValues);
    }

    [Fact]
    public void Judge_ValidationStageSegmentMode_WindowEquityOfTheRecordFromOne()
    {
        var record = new BacktestSeries([100, 110, 99], []);

        var judged = OutcomeJudge.Judge(Outcome(new() { ["sharpe_ratio"] = 1 }, record, startBar: 2), Validation(false), ClientValuesOnly, null);

        Assert.Equal(TrialState.Completed, judged.State);
        Assert.Equal([1, 1.1, 0.99], judged.WindowEquity, Close); // 110 / 100, 99 / 100
    }

    [Fact]
    public void Judge_ValidationStageAttributionMode_WindowEquityOfTheScoredBars()
    {
        // The whole series, bars 0..5; the stage scores bars [2, 4): returns 121 / 110 = 1.1 and 108.9 / 121 = 0.9.
        var record = new BacktestSeries([100, 110, 121, 108.9, 119.79, 131.769], []);

        var judged = OutcomeJudge.Judge(Outcome(new() { ["sharpe_ratio"] = 1 }, record), Validation(true), ClientValuesOnly, null);

        Assert.Equal([1, 1.1, 0.99], judged.WindowEquity, Close);
    }

    [Fact]
    public void Judge_ValidationStagePruned_WindowEquityKept()
    {
        var judged = OutcomeJudge.Judge(Outcome(record: new BacktestSeries([100, 120], []), pruned: true), Validation(false), ClientValuesOnly, null);

        Assert.Equal(TrialState.Pruned, judged.State);
        Assert.Equal([1, 1.2], judged.WindowEquity, Close);
    }

    [Fact]
    public void Judge_AttributionRecordStartingAfterBarZero_MetricsOnTheSeriesBarsOfTheSegments()
    {
        // The stage scores series bars [12, 15); the record starts at bar 10, so they are its points 2..4. Their returns
        // 121 / 110 = 1.1, 108.9 / 121 = 0.9, 119.79 / 108.9 = 1.1: total return 1.1 * 0.9 * 1.1 - 1 = 0.089.
        var stage = Main with { Objectives = [new("total_return", true)], ScoreSegments = [(12, 15)] };
        var scorer = new TrialScorer(new MetricSettings(0, 252), ["total_return"], [], []);

        var judged = OutcomeJudge.Judge(Outcome(record: new BacktestSeries(FromBar10, []), startBar: 10), stage, scorer, null);

        Assert.Equal(TrialState.Completed, judged.State);
        Assert.Equal(0.089, judged.ObjectiveValues[0], 12);
    }

    [Fact]
    public void Score_SegmentStartingBeforeTheRecord_ClippedToItsFirstPoint()
    {
        // Series bars [5, 12) are record points [0, 2) once shifted by the start bar 10 and clipped: one return, 1.1.
        var stage = Main with { ScoreSegments = [(5, 12)] };
        var scorer = new TrialScorer(new MetricSettings(0, 252), ["total_return"], [], []);

        var verdict = OutcomeJudge.Score(Outcome(record: new BacktestSeries(FromBar10, []), startBar: 10), stage, scorer);

        Assert.False(verdict.Failed);
        Assert.Equal(0.1, verdict.Values["total_return"], 12);
    }

    [Fact]
    public void WindowEquity_SegmentMode_EquityOverItsFirstValue()
    {
        Assert.Equal([1, 1.1, 0.99, 1.21], OutcomeJudge.WindowEquity([100, 110, 99, 121], 0, null), Close);
    }

    // Record of bars 10..14: returns of bars 11..14 are 1.1, 1.1, 0.9, 1.1.
    private static readonly double[] FromBar10 = [100, 110, 121, 108.9, 119.79];

    [Fact]
    public void WindowEquity_AttributionWithStartBar_ReturnsOfTheSegmentsBarsChained()
    {
        // Segments [11, 13) and [14, 20) in series bars: bars 11, 12 and 14 (record indices 1, 2, 4), bar 13 left out.
        // 1.1, 1.1 * 1.1 = 1.21, 1.21 * 1.1 = 1.331.
        Assert.Equal([1, 1.1, 1.21, 1.331], OutcomeJudge.WindowEquity(FromBar10, 10, [(11, 13), (14, 20)]), Close);
    }

    [Fact]
    public void WindowEquity_SegmentStartingBeforeTheRecord_ClippedToTheRecord()
    {
        // [5, 12): bar 11 only (bar 10 is the record's first point and has no return). [13, 14): bar 13, 0.9. 1.1 * 0.9 = 0.99.
        Assert.Equal([1, 1.1, 0.99], OutcomeJudge.WindowEquity(FromBar10, 10, [(5, 12), (13, 14)]), Close);
    }

    [Fact]
    public void WindowEquity_SegmentOutsideTheRecord_JustTheStart()
    {
        Assert.Equal([1.0], OutcomeJudge.WindowEquity(FromBar10, 10, [(0, 10), (15, 30)]));
    }

    private static bool Close(double a, double b) => Math.Abs(a - b) < 1e-12;
}
