using OptimizerGrpc.Core.Analysis.Landscape;
using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;
using static OptimizerGrpc.Core.Tests.Analysis.Landscape.LandscapeStudy;

namespace OptimizerGrpc.Core.Tests.Analysis.Landscape;

public sealed class LandscapeAnalysisTests
{
    private static readonly IntDomain Small = new(0, 4, 1);

    [Fact]
    public void Offer_MinimisedObjective_ScoresItNegated()
    {
        var stage = Stage(Space(("x", Small)), maximize: false);

        var report = Analyze(stage, [(3.0, [I(0)]), (1.0, [I(1)])]);

        Assert.Equal(2, report.Robustness.Best!.TrialNumber);
        Assert.Equal(-1, report.Robustness.Best.Score);
        Assert.Equal(-3, report.Sensitivity[0].Cells[0].Best);
    }

    [Fact]
    public void Offer_TrialsNotCompletedOfAnotherStageOrWithoutAFiniteScore_AreSkipped()
    {
        var stage = Stage(Space(("x", Small)));
        var analysis = new LandscapeAnalysis(stage);
        var good = Trial(stage, 1, 1.0, I(0));

        analysis.Offer(good);
        analysis.Offer(good with { Number = 2, State = TrialState.Failed });
        analysis.Offer(good with { Number = 3, StageIndex = 1 });
        analysis.Offer(good with { Number = 4, ObjectiveValues = [] });
        analysis.Offer(good with { Number = 5, ObjectiveValues = [double.NaN] });
        var report = analysis.Analyze();

        Assert.Equal(1, report.Trials);
        Assert.Equal(4, report.Skipped);
    }

    [Fact]
    public void Analyze_StageOfSomeParameters_ReadsItsFreeParametersFromTheFullAssignment()
    {
        var study = Space(("a", Small), ("b", new CategoricalDomain(["u", "v"])), ("c", new FloatDomain(0, 1, null, false)));
        var stage = Stage(study, free: [2, 0], studySpace: study);
        var analysis = new LandscapeAnalysis(stage);
        analysis.Offer(Trial(stage, 1, 2.0, I(3), S("v"), F(0.25)) with { Space = study });

        var report = analysis.Analyze();

        Assert.Equal(["c", "a"], report.Parameters);
        Assert.Equal([F(0.25), I(3)], report.Robustness.Best!.Params);
        Assert.Equal(["c", "a"], report.Sensitivity.Select(s => s.Parameter));
    }

    [Fact]
    public void Analyze_NoTrials_ReturnsAnEmptyReport()
    {
        var report = new LandscapeAnalysis(Stage(Space(("x", Small), ("y", Small)))).Analyze();

        Assert.Equal(0, report.Trials);
        Assert.All(report.Importance, p => Assert.Equal(0.5, p.Normalized));
        Assert.All(report.Sensitivity[0].Cells, c => Assert.Equal(0, c.Count));
        Assert.Null(report.Robustness.Best);
        Assert.Null(report.Robustness.RobustPick);
        Assert.Empty(report.Robustness.Top);
        Assert.Empty(report.Modes.Modes);
    }

    [Fact]
    public void Analyze_InvalidOptions_ThrowsArgumentException()
    {
        var analysis = new LandscapeAnalysis(Stage(Space(("x", Small))));

        Assert.Throws<ArgumentException>(() => analysis.Analyze(new LandscapeOptions(Bins: 1)));
    }
}
