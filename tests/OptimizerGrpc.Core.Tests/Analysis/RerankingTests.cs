using OptimizerGrpc.Core.Analysis;
using OptimizerGrpc.Core.Expressions;
using OptimizerGrpc.Core.Sequences;
using OptimizerGrpc.Core.Studies;
using static OptimizerGrpc.Core.Tests.Analysis.AnalysisFixture;
using static OptimizerGrpc.Core.Tests.Sequences.PlanningFixture;

namespace OptimizerGrpc.Core.Tests.Analysis;

public sealed class RerankingTests
{
    private static readonly RerankObjective Sharpe = new("sharpe_ratio", true, null);
    private static readonly RerankObjective Drawdown = new("max_drawdown", false, null);

    private static TrialRecord T(long number, params (string, double)[] values) => Trial(number, 0, Params(1, 10, 7, "atr"), [0], Values(values));

    // A: sharpe 2, drawdown 0.8; B: sharpe 1.5, drawdown 0.1.
    private static readonly TrialRecord A = T(1, ("sharpe_ratio", 2), ("max_drawdown", 0.8), ("trades", 40));
    private static readonly TrialRecord B = T(2, ("sharpe_ratio", 1.5), ("max_drawdown", 0.1), ("trades", 12));

    private static TrialRecord? BestOf(Reranking reranking, params TrialRecord[] trials)
    {
        foreach (var t in trials)
        {
            reranking.Offer(t);
        }

        return reranking.Best;
    }

    [Fact]
    public void Offer_OneObjectiveMaximised_HighestValueWinsWithItsValueAsObjective()
    {
        var best = BestOf(new Reranking([Sharpe], null), B, A);

        Assert.Equal(1, best!.Number);
        Assert.Equal([2.0], best.ObjectiveValues);
    }

    [Fact]
    public void Offer_OneObjectiveMinimised_LowestValueWins()
    {
        var reranking = new Reranking([Drawdown], null);

        Assert.Equal(-0.8, reranking.Rank(A));
        Assert.Equal(2, BestOf(reranking, A, B)!.Number);
    }

    [Fact]
    public void Rank_Weights_WeightedSumOfOrientedValues()
    {
        var reranking = new Reranking([Sharpe with { Weight = 1 }, Drawdown with { Weight = 2 }], null);

        Assert.Equal(0.4, reranking.Rank(A)!.Value, 12); // 2 - 2 * 0.8
        Assert.Equal(1.3, reranking.Rank(B)!.Value, 12); // 1.5 - 2 * 0.1
        var best = BestOf(reranking, A, B)!;
        Assert.Equal(2, best.Number);
        Assert.Equal([1.5, 0.1], best.ObjectiveValues);
    }

    [Fact]
    public void Rank_SeveralObjectivesWithoutWeights_FirstDecides()
    {
        var reranking = new Reranking([Sharpe, Drawdown], null);

        Assert.Equal(2.0, reranking.Rank(A)); // weights 1, 0
        Assert.Equal(1.5, reranking.Rank(B));
        Assert.Equal(1, BestOf(reranking, A, B)!.Number);
    }

    [Fact]
    public void Rank_OneObjectiveWithAWeight_CountsAlone()
    {
        Assert.Equal(2.0, new Reranking([Sharpe with { Weight = 5 }], null).Rank(A));
    }

    [Fact]
    public void Rank_SomeObjectivesWeighted_UnweightedOnesWeighOne()
    {
        // The wire's weight defaults to 1 (study.proto), as for a study's own objectives.
        var reranking = new Reranking([Sharpe with { Weight = 0.5 }, Drawdown], null);

        Assert.Equal(0.2, reranking.Rank(A)!.Value, 12); // 0.5 * 2 - 1 * 0.8
        Assert.Equal(0.65, reranking.Rank(B)!.Value, 12); // 0.5 * 1.5 - 1 * 0.1
        Assert.Equal(2, BestOf(reranking, A, B)!.Number);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Rank_NonFiniteValue_Skipped(double value)
    {
        var reranking = new Reranking([Sharpe], null);

        Assert.Null(reranking.Rank(T(3, ("sharpe_ratio", value))));
        Assert.Null(BestOf(reranking, T(3, ("sharpe_ratio", value))));
    }

    [Fact]
    public void Rank_MissingValue_SkippedAndNextQualifyingTrialWins()
    {
        var reranking = new Reranking([Sharpe, Drawdown], null);

        Assert.Null(reranking.Rank(T(3, ("sharpe_ratio", 9))));
        Assert.Equal(2, BestOf(reranking, T(3, ("sharpe_ratio", 9)), B)!.Number);
    }

    [Fact]
    public void Rank_Filter_TrialsFailingItOrLackingItsNamesSkipped()
    {
        var reranking = new Reranking([Sharpe], CompiledExpression.Parse("trades >= 30"));

        Assert.Equal(2.0, reranking.Rank(A)); // 40 trades
        Assert.Null(reranking.Rank(B)); // 12 trades
        Assert.Null(reranking.Rank(T(3, ("sharpe_ratio", 9)))); // no trades value
        Assert.Equal(1, BestOf(reranking, B, A, T(3, ("sharpe_ratio", 9)))!.Number);
    }

    [Fact]
    public void Offer_EqualRanks_FirstOfferedKept()
    {
        var best = BestOf(new Reranking([Sharpe], null), T(8, ("sharpe_ratio", 1)), T(4, ("sharpe_ratio", 1)));

        Assert.Equal(8, best!.Number);
    }

    [Fact]
    public void Best_NothingOffered_Null()
    {
        Assert.Null(new Reranking([Sharpe], null).Best);
    }

    [Fact]
    public void Apply_Study_EveryStageAndTheStudyGetTheWinnerAndTheNewObjectives()
    {
        var stages = SequencePlanner.Plan(new SequentialSequence([]), Study());
        var reranking = new Reranking([Drawdown], null);
        BestOf(reranking, A, B);

        var applied = reranking.Apply(Study(A, View(stages[0], A), View(stages[1], A), View(stages[2], null)));

        Assert.Equal(2, applied.Best!.Number);
        Assert.Equal([0.1], applied.Best.ObjectiveValues);
        Assert.All(applied.Stages, s => Assert.Equal(2, s.Best!.Number));
        Assert.All(applied.Stages, s => Assert.Equal([new ObjectiveDefinition("max_drawdown", false)], s.Definition.Objectives));
        Assert.Equal(["ma", "rsi", "stop"], applied.Stages.Select(s => s.Definition.Name)); // the rest of each stage is kept
    }
}
