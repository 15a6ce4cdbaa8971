using OptimizerGrpc.Core.Analysis;
using OptimizerGrpc.Core.Analysis.Overfitting;
using OptimizerGrpc.Core.Sequences;
using OptimizerGrpc.Core.Studies;
using static OptimizerGrpc.Core.Tests.Analysis.AnalysisFixture;
using static OptimizerGrpc.Core.Tests.Sequences.PlanningFixture;

namespace OptimizerGrpc.Core.Tests.Analysis;

public sealed class RegimeMatrixAnalysisTests
{
    // bull: bars 0, 1, 6, 7 (4); bear: bars 2, 3, 4 (3); flat: bar 8 (1); bar 5 has no regime. 8 labelled bars.
    private static readonly DataDescription Data = new(9, [0, 0, 1, 1, 1, -1, 0, 0, 2], ["bull", "bear", "flat"]);

    private static StageView[] Stages(bool attribution) =>
        [.. SequencePlanner.Plan(new RegimeSpecificSequence(null, 1, "", attribution), Study(data: Data)).Select(s => View(s, null))];

    // Per-period Sharpe ratio = mean / sample standard deviation, from the count, Σr and Σr² (the higher sums play no part).
    // {1, 2, 3}: mean 2, variance (14 − 3·4) / 2 = 1, ratio 2.
    private static readonly ReturnSums OneTwoThree = new(3, 6, 14, 0, 0);

    // {1, 3}: mean 2, variance (10 − 2·4) / 1 = 2, ratio 2 / √2 = √2.
    private static readonly ReturnSums OneThree = new(2, 4, 10, 0, 0);

    // {−1, 1}: mean 0, ratio 0.
    private static readonly ReturnSums MinusOneOne = new(2, 0, 2, 0, 0);

    // {2, 4, 6, 8}: mean 5, variance (120 − 4·25) / 3 = 20/3, ratio 5 / √(20/3).
    private static readonly ReturnSums TwoToEight = new(4, 20, 120, 0, 0);

    // One return: no sample standard deviation.
    private static readonly ReturnSums Single = new(1, 0.5, 0.25, 0, 0);

    private static readonly BlockReturns AnyBlocks = BlockReturns.FromReturns(new double[32]);

    [Fact]
    public void Build_AttributionMode_RowPerRegimesWinnerColumnPerRegime()
    {
        TrialReturns?[] winners =
        [
            new(AnyBlocks, [OneTwoThree, OneThree, Single]), // bull's winner
            new(AnyBlocks, [MinusOneOne, TwoToEight, OneTwoThree]), // bear's winner
            null, // flat's winner sent no record
        ];

        var report = RegimeMatrixAnalysis.Build(Stages(attribution: true), i => winners[i])!;

        Assert.Equal(["bull", "bear", "flat"], report.Regimes);
        Assert.Equal("", report.Unavailable);
        double[] expected =
        [
            2, Math.Sqrt(2), double.NaN,
            0, 5 / Math.Sqrt(20.0 / 3), 2,
            double.NaN, double.NaN, double.NaN,
        ];
        Assert.Equal(expected, report.SharpeRatios, (a, b) => a.Equals(b) || Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void Build_WinnerWithFewerRegimeSums_MissingColumnsNaN()
    {
        TrialReturns?[] winners = [new(AnyBlocks, [OneThree]), new(AnyBlocks, null), null];

        var report = RegimeMatrixAnalysis.Build(Stages(attribution: true), i => winners[i])!;

        Assert.Equal(Math.Sqrt(2), report.SharpeRatios[0], 12);
        Assert.All(report.SharpeRatios.Skip(1), s => Assert.True(double.IsNaN(s)));
    }

    [Fact]
    public void Build_AttributionMode_BarSharesOfTheLabelledBars()
    {
        var report = RegimeMatrixAnalysis.Build(Stages(attribution: true), _ => null)!;

        // 4, 3 and 1 of the 8 labelled bars (bar 5 has no regime).
        Assert.Equal([0.5, 0.375, 0.125], report.BarShares);
    }

    [Fact]
    public void Build_SegmentModeWithoutCrossValidation_UnavailableWithTheReasonButNamesAndShares()
    {
        var report = RegimeMatrixAnalysis.Build(Stages(attribution: false), _ => throw new InvalidOperationException("not asked"))!;

        Assert.Equal(RegimeMatrixAnalysis.SegmentMode, report.Unavailable);
        Assert.Empty(report.SharpeRatios);
        Assert.Equal(["bull", "bear", "flat"], report.Regimes);
        Assert.Equal([0.5, 0.375, 0.125], report.BarShares);
    }

    [Fact]
    public void Build_SegmentModeCrossValidation_DiagonalFromOwnReturnsCellsFromTheCrossStages()
    {
        var stages = SequencePlanner.Plan(new RegimeSpecificSequence(null, 1, "", false, CrossValidation: true), Study(data: Data))
            .Select(s => View(s, null)).ToList();
        // Stage 0..2: bull, bear, flat; 3..8: bull on bear, bull on flat, bear on bull, bear on flat, flat on bull, flat on bear.
        var returns = new Dictionary<int, TrialReturns>
        {
            [0] = Whole(1, 2, 3, 4), // bull's winner on bull: mean 2.5, variance (30 − 4·6.25) / 3 = 5/3
            [1] = Whole(2, 4, 6, 8), // bear's winner on bear: 5 / √(20/3)
            [3] = Whole(1, 3, 1, 3), // bull's winner on bear: mean 2, variance (20 − 16) / 3 = 4/3, ratio √3
            [5] = Whole(-1, 1, -1, 1), // bear's winner on bull: 0
        };

        var report = RegimeMatrixAnalysis.Build(stages, i => returns.GetValueOrDefault(i))!;

        Assert.Equal("", report.Unavailable);
        double[] expected =
        [
            2.5 / Math.Sqrt(5.0 / 3), Math.Sqrt(3), double.NaN, // flat was skipped: nothing scored on it
            0, 5 / Math.Sqrt(20.0 / 3), double.NaN,
            double.NaN, double.NaN, double.NaN, // flat had no winner
        ];
        Assert.Equal(expected, report.SharpeRatios, (a, b) => a.Equals(b) || Math.Abs(a - b) < 1e-12);
    }

    private static TrialReturns Whole(params double[] returns) => new(BlockReturns.FromReturns(returns, blockCount: 2), null);

    [Fact]
    public void Build_NoRegimeStages_Null()
    {
        var stages = SequencePlanner.Plan(new SingleSequence(), Study()).Select(s => View(s, null)).ToList();

        Assert.Null(RegimeMatrixAnalysis.Build(stages, _ => null));
    }
}
