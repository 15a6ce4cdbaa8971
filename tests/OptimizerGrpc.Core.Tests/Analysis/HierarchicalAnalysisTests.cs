using OptimizerGrpc.Core.Analysis;
using OptimizerGrpc.Core.Sequences;
using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;
using static OptimizerGrpc.Core.Tests.Analysis.AnalysisFixture;
using static OptimizerGrpc.Core.Tests.Sequences.PlanningFixture;

namespace OptimizerGrpc.Core.Tests.Analysis;

public sealed class HierarchicalAnalysisTests
{
    // Outer ma (fast, slow), inner rsi (period); stop.kind belongs to neither level and stays at its default.
    private static StageDefinition Plan(IReadOnlyList<ObjectiveDefinition>? objectives = null, double[]? weights = null) =>
        SequencePlanner.Plan(
            new HierarchicalSequence(Stage("", "o", "ma"), Stage("", "i", "rsi")),
            Study(objectives: objectives, weights: weights))[0];

    private static TrialRecord T(long number, long fast, long slow, long period, double[] objectives, TrialState state = TrialState.Completed) =>
        Trial(number, 0, Params(fast, slow, period, "atr"), objectives, state: state);

    private static HierarchicalSummary Summarize(StageDefinition stage, params TrialRecord[] trials)
    {
        var analysis = new HierarchicalAnalysis(stage, Space);
        foreach (var t in trials)
        {
            analysis.Offer(t);
        }

        return analysis.Summarize();
    }

    // Candidates (1, 10): #0 0.5, #2 0.9, #4 failed. (2, 10): #1 0.8, #3 0.9, #5 0.9. (3, 20): #6 failed.
    private static readonly TrialRecord[] Trials =
    [
        T(0, 1, 10, 7, [0.5]),
        T(1, 2, 10, 7, [0.8]),
        T(2, 1, 10, 14, [0.9]),
        T(3, 2, 10, 14, [0.9]),
        T(4, 1, 10, 21, [], TrialState.Failed),
        T(5, 2, 10, 21, [0.9]),
        T(6, 3, 20, 7, [], TrialState.Failed),
    ];

    [Fact]
    public void Summarize_TrialsOfThreeCandidates_GroupedByOuterValuesInFirstTrialOrder()
    {
        var summary = Summarize(Plan(), Trials);

        Assert.Equal(["ma"], summary.OuterTargets);
        Assert.Equal(["rsi"], summary.InnerTargets);
        Assert.Equal(
            [[KeyValuePair.Create("ma.fast", ParamValue.Int(1)), KeyValuePair.Create("ma.slow", ParamValue.Int(10))],
             [KeyValuePair.Create("ma.fast", ParamValue.Int(2)), KeyValuePair.Create("ma.slow", ParamValue.Int(10))],
             [KeyValuePair.Create("ma.fast", ParamValue.Int(3)), KeyValuePair.Create("ma.slow", ParamValue.Int(20))]],
            summary.Candidates.Select(c => c.OuterParams.ToArray()));
        Assert.Equal([(3L, 2L), (3L, 3L), (1L, 0L)], summary.Candidates.Select(c => (c.Trials, c.CompletedTrials)));
    }

    [Fact]
    public void Summarize_Candidates_InnerWinnerFirstOfEqualRanks()
    {
        var summary = Summarize(Plan(), Trials);

        Assert.Equal([(2L, 0.9), (3L, 0.9)], summary.Candidates.Take(2).Select(c => (c.BestTrialNumber, c.BestScore))); // #5 ties #3: #3 kept
    }

    [Fact]
    public void Summarize_TargetOfNeitherLevel_NotAmongTheInnerWinnersParams()
    {
        // stop.kind keeps its default throughout the stage: it is no candidate's inner winner.
        var summary = Summarize(Plan(), Trials);

        Assert.Equal([KeyValuePair.Create("rsi.period", ParamValue.Int(14))], summary.Candidates[0].InnerBestParams);
        Assert.Equal([KeyValuePair.Create("rsi.period", ParamValue.Int(14))], summary.Candidates[1].InnerBestParams);
    }

    [Fact]
    public void Summarize_CandidateWithoutCompletedTrials_NoWinner()
    {
        var none = Summarize(Plan(), Trials).Candidates[2];

        Assert.Equal(-1, none.BestTrialNumber);
        Assert.True(double.IsNaN(none.BestScore));
        Assert.Empty(none.InnerBestParams);
    }

    [Fact]
    public void Summarize_EqualBestRanks_LowestTrialNumberWins()
    {
        var best = Summarize(Plan(), Trials).Best!;

        Assert.Equal(2, best.BestTrialNumber); // (1, 10) and (2, 10) both reach 0.9: #2 before #3
        Assert.Equal(ParamValue.Int(1), best.OuterParams[0].Value);
    }

    [Fact]
    public void Summarize_HigherRankLater_HighestRankWins()
    {
        var best = Summarize(Plan(), [.. Trials, T(7, 3, 20, 14, [1.2])]).Best!;

        Assert.Equal((7L, 1.2), (best.BestTrialNumber, best.BestScore));
        Assert.Equal((2L, 1L), (best.Trials, best.CompletedTrials));
    }

    [Fact]
    public void Summarize_MinimisedObjective_LowestValueWinsAndScoreIsRaw()
    {
        var stage = Plan([new("max_drawdown", false)]);

        var summary = Summarize(stage, T(0, 1, 10, 7, [0.3]), T(1, 1, 10, 14, [0.1]));

        Assert.Equal((1L, 0.1), (summary.Best!.BestTrialNumber, summary.Best.BestScore));
    }

    [Fact]
    public void Summarize_WeightedObjectives_ScoreIsTheWeightedRank()
    {
        // Weights 1, 2 over (sharpe, -drawdown): #0 1.0 - 2 * 0.1 = 0.8; #1 1.2 - 2 * 0.3 = 0.6.
        var stage = Plan([new("sharpe_ratio", true), new("max_drawdown", false)], [1, 2]);

        var summary = Summarize(stage, T(0, 1, 10, 7, [1.0, 0.1]), T(1, 1, 10, 14, [1.2, 0.3]));

        Assert.Equal(0, summary.Best!.BestTrialNumber);
        Assert.Equal(0.8, summary.Best.BestScore, 12);
    }

    [Fact]
    public void Offer_CompletedTrialWithoutEveryObjective_CountedButNotCompleted()
    {
        var candidate = Assert.Single(Summarize(Plan(), T(0, 1, 10, 7, [])).Candidates);

        Assert.Equal((1L, 0L, -1L), (candidate.Trials, candidate.CompletedTrials, candidate.BestTrialNumber));
    }

    [Fact]
    public void Summarize_NoTrials_NoCandidatesAndNoBest()
    {
        var summary = Summarize(Plan());

        Assert.Empty(summary.Candidates);
        Assert.Null(summary.Best);
    }

    [Fact]
    public void Constructor_StageWithoutHierarchy_Throws()
    {
        var plain = SequencePlanner.Plan(new SingleSequence(), Study())[0];

        Assert.Throws<ArgumentException>(() => new HierarchicalAnalysis(plain, Space));
    }
}
