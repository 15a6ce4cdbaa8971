using OptimizerGrpc.Core.Sequences;
using OptimizerGrpc.Core.Studies;
using static OptimizerGrpc.Core.Tests.Sequences.PlanningFixture;

namespace OptimizerGrpc.Core.Tests.Sequences;

public sealed class RegimePlannerTests
{
    private const string Path = "spec.sequence.regime_specific";

    // bull: bars [0, 2) and [6, 7) = 3 bars; bear: [2, 5) = 3 bars; flat: none; bar 5 has no regime.
    private static readonly DataDescription Data = new(7, [0, 0, 1, 1, 1, -1, 0], ["bull", "bear", "flat"]);

    private static IReadOnlyList<StageDefinition> Plan(RegimeSpecificSequence sequence, DataDescription? data = null) =>
        SequencePlanner.Plan(sequence, Study(data: data ?? Data));

    [Fact]
    public void Plan_ThreeRegimes_OneIndependentStagePerRegimeWithItsBars()
    {
        var stages = Plan(new RegimeSpecificSequence(null, 1, "rsi", Attribution: false));

        Assert.Equal([0, 1, 2], stages.Select(s => s.Index));
        Assert.Equal(["bull", "bear", "flat"], stages.Select(s => s.Name));
        Assert.Equal(["bull", "bear", "flat"], stages.Select(s => s.Regime));
        Assert.Equal([3L, 3L, 0L], stages.Select(s => s.RegimeBars));
        Assert.All(stages, s => Assert.Equal(["ma", "stop"], s.Targets)); // every target but the detector
        Assert.All(stages, s => Assert.Equal([0, 1, 3], s.FreeIndices));
        Assert.All(stages, s => Assert.Empty(s.After));
        Assert.All(stages, s => Assert.Null(s.ScoreSegments)); // segment mode: the client backtests the segments
        Assert.Equal([0x2AUL, 0x9E3779B97F4A7C3FUL, 0x3C6EF372FE94F854UL], stages.Select(s => s.Seed));
        var bull = Assert.IsType<RegimeContext>(stages[0].Context);
        Assert.Equal("bull", bull.Regime);
        Assert.Equal("regime bull", bull.Label);
        Assert.False(bull.EvaluateWholeSeries);
        Assert.Equal([new BarRange(0, 2), new BarRange(6, 7)], bull.Segments);
        Assert.Equal([new BarRange(2, 5)], ((RegimeContext)stages[1].Context).Segments);
        Assert.Empty(((RegimeContext)stages[2].Context).Segments);
    }

    [Fact]
    public void Plan_SegmentModeCrossValidation_OneStagePerOrderedPairAfterTheWinnersRegime()
    {
        var stages = Plan(new RegimeSpecificSequence(null, 1, "rsi", Attribution: false, CrossValidation: true));

        Assert.Equal(9, stages.Count); // 3 regimes + 3 × 2 ordered pairs
        var cross = stages.Skip(3).ToList();
        Assert.Equal([3, 4, 5, 6, 7, 8], cross.Select(s => s.Index));
        Assert.Equal(
            ["bull winner on bear", "bull winner on flat", "bear winner on bull", "bear winner on flat", "flat winner on bull", "flat winner on bear"],
            cross.Select(s => s.Name));
        Assert.Equal(["bull", "bull", "bear", "bear", "flat", "flat"], cross.Select(s => s.WinnerOfRegime));
        Assert.Equal([[0], [0], [1], [1], [2], [2]], cross.Select(s => s.After.ToArray()));
        Assert.All(cross, s =>
        {
            Assert.True(s.IsValidation);
            Assert.Empty(s.FreeIndices);
            Assert.Equal(1, s.PlannedTrials);
            Assert.Equal("", s.Regime); // not a regime's own stage: regime_results ignore it
            Assert.Equal(["ma", "stop"], s.Targets);
        });
        var bullOnBear = Assert.IsType<RegimeContext>(cross[0].Context);
        Assert.Equal("bear", bullOnBear.Regime);
        Assert.Equal([new BarRange(2, 5)], bullOnBear.Segments);
        Assert.Equal("regime bull winner on bear", bullOnBear.Label);
        Assert.False(bullOnBear.EvaluateWholeSeries);

        // flat has no bars (fewer than min_regime_data = 1): its stage and every stage scoring on it are skipped.
        Assert.Equal(stages[2].SkipReason, cross[1].SkipReason);
        Assert.NotEqual("", cross[1].SkipReason);
        Assert.Equal("", cross[0].SkipReason);
    }

    [Fact]
    public void Plan_AttributionModeCrossValidation_NoExtraStages()
    {
        var stages = Plan(new RegimeSpecificSequence(null, 1, "", Attribution: true, CrossValidation: true));

        Assert.Equal(3, stages.Count);
    }

    [Fact]
    public void Plan_AttributionMode_ScoreSegmentsAreTheRegimesBarsAndWholeSeriesEvaluated()
    {
        var stages = Plan(new RegimeSpecificSequence(null, 1, "", Attribution: true));

        Assert.Equal([(0L, 2L), (6L, 7L)], stages[0].ScoreSegments!);
        Assert.Equal([(2L, 5L)], stages[1].ScoreSegments!);
        Assert.Empty(stages[2].ScoreSegments!);
        Assert.All(stages, s => Assert.True(s.Context.EvaluateWholeSeries));
        Assert.All(stages, s => Assert.Equal(Targets, s.Targets)); // no detector: every target
    }

    [Fact]
    public void Plan_AttributionMode_EveryStageKeepsEveryRegimesBarsInRegimeOrder()
    {
        var stages = Plan(new RegimeSpecificSequence(null, 1, "", Attribution: true));

        Assert.All(stages, s =>
        {
            var regimes = s.RegimeSegments!;
            Assert.Equal(3, regimes.Count);
            Assert.Equal([(0L, 2L), (6L, 7L)], regimes[0]);
            Assert.Equal([(2L, 5L)], regimes[1]);
            Assert.Empty(regimes[2]);
        });
    }

    [Fact]
    public void Plan_SegmentMode_NoRegimeSegments()
    {
        var stages = Plan(new RegimeSpecificSequence(null, 1, "", Attribution: false));

        Assert.All(stages, s => Assert.Null(s.RegimeSegments));
    }

    [Fact]
    public void Plan_RegimeBelowMinRegimeData_PlannedAsSkippedWithTheReason()
    {
        var stages = Plan(new RegimeSpecificSequence(null, 3, "", false));

        Assert.Equal(["", "", "regime 'flat' has 0 bars, fewer than min_regime_data (3)"], stages.Select(s => s.SkipReason));
    }

    [Fact]
    public void Plan_DefaultMinRegimeData_HundredBars()
    {
        var stages = Plan(new RegimeSpecificSequence(null, null, "", false));

        Assert.Equal("regime 'bull' has 3 bars, fewer than min_regime_data (100)", stages[0].SkipReason);
    }

    [Fact]
    public void Plan_NamedStageTemplate_StagesNamedWithTheRegimeInBrackets()
    {
        var template = Stage("entries", Path + ".stage", "ma");

        var stages = Plan(new RegimeSpecificSequence(template, 1, "rsi", false));

        Assert.Equal(["entries (bull)", "entries (bear)", "entries (flat)"], stages.Select(s => s.Name));
        Assert.All(stages, s => Assert.Equal(["ma"], s.Targets));
    }

    [Fact]
    public void Plan_NoLabels_ViolationAtRegimeLabels()
    {
        Assert.Equal(["spec.data.regime_labels"], RejectedFields(new RegimeSpecificSequence(null, 1, "", false), Study()));
    }

    [Fact]
    public void Plan_NoRegimeNames_ViolationAtRegimeNames()
    {
        var data = new DataDescription(3, [0, 0, 0], []);

        Assert.Equal(["spec.data.regime_names"], RejectedFields(new RegimeSpecificSequence(null, 1, "", false), Study(data: data)));
    }

    [Theory]
    [InlineData(2, "label 2 is not an index into regime_names (0..1) or -1 (no regime)")]
    [InlineData(-2, "label -2 is not an index into regime_names (0..1) or -1 (no regime)")]
    public void Plan_LabelOutOfRange_ViolationAtThatLabel(int label, string message)
    {
        var data = new DataDescription(4, [0, -1, label, 1], ["bull", "bear"]);

        var violation = Assert.Single(Rejected(new RegimeSpecificSequence(null, 1, "", false), Study(data: data)).Violations);

        Assert.Equal("spec.data.regime_labels[2]", violation.Field);
        Assert.Equal(message, violation.Message);
    }

    [Fact]
    public void Plan_MinRegimeDataZero_Violation()
    {
        var violation = Assert.Single(Rejected(new RegimeSpecificSequence(null, 0, "", false), Study(data: Data)).Violations);

        Assert.Equal((Path + ".min_regime_data", "must be >= 1, got 0"), (violation.Field, violation.Message));
    }

    [Fact]
    public void Plan_UnknownDetector_Violation()
    {
        var violation = Assert.Single(Rejected(new RegimeSpecificSequence(null, 1, "hmm", false), Study(data: Data)).Violations);

        Assert.Equal((Path + ".regime_detector_target", "unknown target 'hmm'"), (violation.Field, violation.Message));
    }

    [Fact]
    public void Plan_StageSearchesTheDetector_ViolationAtStageTargets()
    {
        var template = Stage("", Path + ".stage", "ma", "rsi");

        var violation = Assert.Single(Rejected(new RegimeSpecificSequence(template, 1, "rsi", false), Study(data: Data)).Violations);

        Assert.Equal(Path + ".stage.targets", violation.Field);
        Assert.Equal("'rsi' is the regime detector that labelled the bars; it cannot also be searched per regime", violation.Message);
    }
}
