using OptimizerGrpc.Core.Analysis;
using OptimizerGrpc.Core.Studies;
using static OptimizerGrpc.Core.Tests.Analysis.AnalysisFixture;

namespace OptimizerGrpc.Core.Tests.Analysis;

public sealed class ParetoAnalysisTests
{
    // Sharpe maximised, drawdown minimised.
    private static readonly ObjectiveDefinition[] Objectives = [new("sharpe_ratio", true), new("max_drawdown", false)];

    private static TrialRecord T(long number, params double[] objectives) => Trial(number, 0, Params(1, 10, 7, "atr"), objectives);

    private static ParetoSummary Front(params TrialRecord[] trials)
    {
        var analysis = new ParetoAnalysis("stage-0", Objectives);
        foreach (var t in trials)
        {
            analysis.Offer(t);
        }

        return analysis.Front();
    }

    [Fact]
    public void Front_SmallSet_NonDominatedTrialsInNumberOrderWithRawValues()
    {
        // Oriented (sharpe, -drawdown): #0 (1, -0.3), #1 (2, -0.5), #2 (0.5, -0.4) dominated by #0, #3 (1.5, -0.6) dominated by #1.
        var front = Front(T(0, 1, 0.3), T(1, 2, 0.5), T(2, 0.5, 0.4), T(3, 1.5, 0.6));

        Assert.Equal("stage-0", front.StageId);
        Assert.Equal([0L, 1L], front.Trials.Select(t => t.Number));
        Assert.Equal([2, 0.5], front.Trials[1].ObjectiveValues);
    }

    [Fact]
    public void Front_TwoObjectives_HypervolumeAboveTheDefaultReference()
    {
        // Hypervolume.DefaultReference: per objective, the front's minimum less 10% of its range.
        // Sharpe 1..2: 1 - 0.1 = 0.9. Oriented drawdown -0.5..-0.3: -0.5 - 0.02 = -0.52.
        // Boxes from the reference: #0 0.1 x 0.22 = 0.022, #1 1.1 x 0.02 = 0.022, overlap 0.1 x 0.02 = 0.002; union 0.042.
        var front = Front(T(0, 1, 0.3), T(1, 2, 0.5), T(2, 0.5, 0.4), T(3, 1.5, 0.6));

        Assert.Equal(0.042, front.Hypervolume, 12);
    }

    [Fact]
    public void Front_OnePoint_ReferenceMarginTenPercentOfMagnitude()
    {
        // Oriented (2, -0.5); zero range, so the margin is 10% of max(|min|, 1): reference (1.8, -0.6); volume 0.2 x 0.1.
        var front = Front(T(5, 2, 0.5));

        Assert.Equal(0.02, front.Hypervolume, 12);
    }

    [Fact]
    public void Offer_TrialWithoutAValuePerObjective_LeftOut()
    {
        var front = Front(T(0, 1), T(1, 1, 0.2));

        Assert.Equal([1L], front.Trials.Select(t => t.Number));
    }

    [Fact]
    public void Front_NoTrials_EmptyWithZeroHypervolume()
    {
        var front = Front();

        Assert.Empty(front.Trials);
        Assert.Equal(0, front.Hypervolume);
    }
}
