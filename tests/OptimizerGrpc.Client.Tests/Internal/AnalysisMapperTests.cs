using V1 = OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Client.Tests.Internal;

public sealed class AnalysisMapperTests
{
    [Fact]
    public void StageAnalysis_HandBuilt_MapsEveryField()
    {
        var stage = AnalysisMessages.Stage();

        var info = AnalysisMapper.ToStageAnalysis(stage);

        Assert.Equal(("stage-0", "sharpe_ratio", 12L, (string?)null), (info.StageId, info.Metric, info.CompletedTrials, info.Unavailable));
        Assert.Equal([new("ma.slow", 0.75, 1.5), new ParameterImportanceInfo("ma.fast", 0.25, 0.5)], info.Importance);

        var slow = info.Sensitivity[0];
        Assert.Equal(("ma.slow", CellKind.Value), (slow.Parameter, slow.Kind));
        Assert.Equal(new SensitivityCellInfo(100L, 100L, 4, 0.5, 0.25), slow.Cells[0]);
        var empty = slow.Cells[1];
        Assert.Equal((ParamValue.Of(150L), 0L), (empty.Low, empty.Count));
        Assert.True(double.IsNaN(empty.BestScore) && double.IsNaN(empty.MeanScore));
        var bin = info.Sensitivity[1].Cells[0];
        Assert.Equal((CellKind.Bin, ParamValue.Of(0.0), ParamValue.Of(0.5)), (info.Sensitivity[1].Kind, bin.Low, bin.High));

        var surface = Assert.Single(info.Surfaces);
        Assert.Equal(("ma.slow", "ma.fast", 2, 3), (surface.RowParameter, surface.ColumnParameter, surface.Rows, surface.Columns));
        Assert.Equal([1L, 0, 2, 3, 1, 5], surface.Counts);
        Assert.Equal(0.6, surface.BestScore(1, 2));
        Assert.True(double.IsNaN(surface.BestScore(0, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => surface.BestScore(2, 0));

        var robustness = info.Robustness!;
        Assert.Equal((0.125, 0.375), (robustness.MedianScore, robustness.ScoreSpread));
        Assert.Equal(2, robustness.Top.Count);
        var best = robustness.Best!;
        Assert.Equal((7L, 0.5, 0.125, 3L, true), (best.TrialNumber, best.Score, best.NeighbourhoodMean, best.Neighbours, best.IsolatedPeak));
        Assert.Equal(ParamValue.Of(100L), best.Params["ma.slow"]);
        Assert.Equal(["ma.slow"], best.OnLowEdge);
        Assert.Equal(["ma.fast"], best.OnHighEdge);
        var pick = robustness.RobustPick!;
        Assert.Equal((9L, 0.45, 0.4, 5L, false), (pick.TrialNumber, pick.Score, pick.NeighbourhoodMean, pick.Neighbours, pick.IsolatedPeak));
        Assert.Empty(pick.OnLowEdge);

        var mode = Assert.Single(info.Modes);
        Assert.Equal((3L, 7L, 0.5, 0.25, 0.5, 0.125), (mode.Size, mode.BestTrialNumber, mode.BestScore, mode.MinScore, mode.MaxScore, mode.ScoreStd));
        Assert.Equal(ParamValue.Of(30.0), mode.Centre["ma.fast"]);
    }

    [Fact]
    public void Overfitting_HandBuilt_MapsWinnerAndPbo()
    {
        var overfitting = AnalysisMapper.ToStageAnalysis(AnalysisMessages.Stage()).Overfitting!;

        var w = overfitting.Winner!;
        Assert.Equal(
            (9310L, 0.05, 0.79, -0.5, 12.0, 0.999, 0.97, 0.02, 12L, 0.0004, 1234.5, 3.25),
            (w.Periods, w.SharpeRatio, w.AnnualizedSharpeRatio, w.Skewness, w.Kurtosis, w.ProbabilisticSharpeRatio, w.DeflatedSharpeRatio,
                w.ExpectedMaxSharpe, w.Trials, w.SharpeVariance, w.MinTrackRecordLength, w.MinBacktestLengthYears));
        var pbo = overfitting.Pbo!;
        Assert.Equal((16, 12_870L, 0.25, -0.5, 0.01, 0.125), (pbo.Blocks, pbo.Combinations, pbo.Probability, pbo.DegradationSlope, pbo.DegradationIntercept, pbo.ProbabilityOfLoss));
        Assert.Equal([-1.0, 0, 1], pbo.LogitBinEdges);
        Assert.Equal([3_000L, 9_870], pbo.LogitHistogram);
        Assert.Equal(["deflated Sharpe ratio: it needs at least 2 completed trials with records"], overfitting.Unavailable);
    }

    [Fact]
    public void StageAnalysis_ValuesOnly_KeepsTheReasonsAndLeavesStatisticsNull()
    {
        var stage = new V1.StageAnalysis
        {
            StageId = "stage-1",
            Unavailable = "no completed trials",
            Overfitting = new V1.OverfittingStatistics { Unavailable = { "winner statistics: values only", "probability of backtest overfitting: values only" } },
        };

        var info = AnalysisMapper.ToStageAnalysis(stage);

        Assert.Equal("no completed trials", info.Unavailable);
        Assert.Null(info.Robustness);
        Assert.Empty(info.Importance);
        Assert.Null(info.Overfitting!.Winner);
        Assert.Null(info.Overfitting.Pbo);
        Assert.Equal(2, info.Overfitting.Unavailable.Count);
    }

    [Fact]
    public void StudyAnalysis_RegimesAndWalkForward_MapsMatrixAndSummary()
    {
        var analysis = new V1.StudyAnalysis
        {
            Stages = { AnalysisMessages.Stage() },
            Regimes = new V1.RegimeMatrix { Regimes = { "up", "down" }, BarShares = { 0.75, 0.25 }, SharpeRatios = { 0.1, -0.2, 0.05, double.NaN } },
            WalkForward = new V1.WalkForwardAnalysis
            {
                WindowEfficiency = { 0.5, 1.25 },
                ProfitableWindowShare = 0.5,
                Stitched = new V1.SharpeStatistics { Periods = 2000, SharpeRatio = 0.03 },
                ParameterDrift = { ["ma.fast"] = 0.2 },
            },
        };

        var info = AnalysisMapper.ToStudyAnalysis(analysis);

        Assert.Equal("stage-0", Assert.Single(info.Stages).StageId);
        Assert.Same(info.Stages[0], info.Stage("stage-0"));
        Assert.Null(info.Stage("stage-9"));
        var regimes = info.Regimes!;
        Assert.Equal(["up", "down"], regimes.Regimes);
        Assert.Null(regimes.Unavailable);
        Assert.Equal([0.75, 0.25], regimes.BarShares);
        Assert.Equal(-0.2, regimes.SharpeRatio(0, 1));
        Assert.Equal(0.05, regimes.SharpeRatio(1, 0));
        Assert.True(double.IsNaN(regimes.SharpeRatio(1, 1)));
        var walk = info.WalkForward!;
        Assert.Equal([0.5, 1.25], walk.WindowEfficiency);
        Assert.Equal((0.5, 2000L, 0.03), (walk.ProfitableWindowShare, walk.Stitched!.Periods, walk.Stitched.SharpeRatio));
        Assert.Equal(0.2, walk.ParameterDrift["ma.fast"]);
    }

    [Fact]
    public void StudyAnalysis_SingleStage_HasNoRegimesOrWalkForward()
    {
        var info = AnalysisMapper.ToStudyAnalysis(new V1.StudyAnalysis { Stages = { new V1.StageAnalysis { StageId = "s" } } });

        Assert.Null(info.Regimes);
        Assert.Null(info.WalkForward);
        Assert.Null(info.Stages[0].Overfitting);
    }

    [Fact]
    public void StudyResult_WithAnalysis_CarriesItTyped()
    {
        var result = new V1.StudyResult { Study = new V1.Study { StudyId = "s" }, Analysis = new V1.StudyAnalysis { Stages = { AnalysisMessages.Stage() } } };

        Assert.Equal(12, ProtoMapper.ToStudyResult(result).Analysis!.Stages[0].CompletedTrials);
        Assert.Null(ProtoMapper.ToStudyResult(new V1.StudyResult()).Analysis);
    }

    [Fact]
    public void Settings_SomeSet_SendsOnlyThose()
    {
        var options = AnalysisMapper.ToProto(new AnalysisSettings { PboBlocks = 4, TopFraction = 0.2, ModeRadius = 0.05 });

        Assert.Equal((true, 4, true, 0.2, true, 0.05), (options.HasPboBlocks, options.PboBlocks, options.HasTopFraction, options.TopFraction, options.HasModeRadius, options.ModeRadius));
        Assert.False(options.HasBins || options.HasRobustTop || options.HasSurfaceParameters || options.HasPboMaxTrials);
        Assert.Equal(new V1.AnalysisOptions(), AnalysisMapper.ToProto(AnalysisSettings.Default));
        var all = AnalysisMapper.ToProto(new AnalysisSettings { Bins = 20, RobustTop = 5, SurfaceParameters = 0, PboMaxTrials = 50 });
        Assert.Equal((20, 5, true, 0, 50), (all.Bins, all.RobustTop, all.HasSurfaceParameters, all.SurfaceParameters, all.PboMaxTrials));
    }

    [Theory]
    [InlineData(nameof(AnalysisSettings.TopFraction))]
    [InlineData(nameof(AnalysisSettings.Bins))]
    [InlineData(nameof(AnalysisSettings.RobustTop))]
    [InlineData(nameof(AnalysisSettings.PboBlocks))]
    [InlineData(nameof(AnalysisSettings.SurfaceParameters))]
    [InlineData(nameof(AnalysisSettings.PboMaxTrials))]
    [InlineData(nameof(AnalysisSettings.ModeRadius))]
    public void Settings_OutOfRange_ValidateNamesTheSetting(string name)
    {
        var settings = name switch
        {
            nameof(AnalysisSettings.TopFraction) => new AnalysisSettings { TopFraction = 0 },
            nameof(AnalysisSettings.Bins) => new AnalysisSettings { Bins = 1 },
            nameof(AnalysisSettings.RobustTop) => new AnalysisSettings { RobustTop = 1001 },
            nameof(AnalysisSettings.PboBlocks) => new AnalysisSettings { PboBlocks = 3 },
            nameof(AnalysisSettings.SurfaceParameters) => new AnalysisSettings { SurfaceParameters = 11 },
            nameof(AnalysisSettings.PboMaxTrials) => new AnalysisSettings { PboMaxTrials = 1 },
            _ => new AnalysisSettings { ModeRadius = 0.0005 },
        };

        Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(settings.Validate).ParamName);
        (settings with { TopFraction = 1, Bins = 1000, RobustTop = 1, PboBlocks = 16, SurfaceParameters = 0, PboMaxTrials = 10_000, ModeRadius = 1 }).Validate();
    }
}

/// <summary>A stage's analysis as the server would send it, with values chosen to be exact in binary.</summary>
internal static class AnalysisMessages
{
    public static V1.StageAnalysis Stage()
    {
        var best = new V1.NeighbourhoodScore
        {
            TrialNumber = 7, Score = 0.5, NeighbourhoodMean = 0.125, Neighbours = 3, IsolatedPeak = true,
            Params = { ["ma.slow"] = Int(100), ["ma.fast"] = Int(50) }, OnLowEdge = { "ma.slow" }, OnHighEdge = { "ma.fast" },
        };
        var pick = new V1.NeighbourhoodScore { TrialNumber = 9, Score = 0.45, NeighbourhoodMean = 0.4, Neighbours = 5, Params = { ["ma.slow"] = Int(150), ["ma.fast"] = Int(30) } };
        return new V1.StageAnalysis
        {
            StageId = "stage-0",
            Metric = "sharpe_ratio",
            CompletedTrials = 12,
            Importance = { new V1.ParameterImportance { Parameter = "ma.slow", Importance = 0.75, Divergence = 1.5 }, new V1.ParameterImportance { Parameter = "ma.fast", Importance = 0.25, Divergence = 0.5 } },
            Sensitivity =
            {
                new V1.ParameterSensitivity
                {
                    Parameter = "ma.slow", Kind = V1.CellKind.Value,
                    Cells = { Cell(Int(100), Int(100), 4, 0.5, 0.25), Cell(Int(150), Int(150), 0, double.NaN, double.NaN) },
                },
                new V1.ParameterSensitivity { Parameter = "ma.fast", Kind = V1.CellKind.Bin, Cells = { Cell(Float(0), Float(0.5), 6, 0.375, 0.125) } },
            },
            Surfaces =
            {
                new V1.SensitivitySurface
                {
                    RowParameter = "ma.slow", ColumnParameter = "ma.fast", Rows = 2, Columns = 3,
                    BestScores = { 0.25, double.NaN, 0.5, 0.125, 0.375, 0.6 }, Counts = { 1, 0, 2, 3, 1, 5 },
                },
            },
            Robustness = new V1.Robustness { Top = { best, pick }, Best = best, RobustPick = pick, MedianScore = 0.125, ScoreSpread = 0.375 },
            Modes = { new V1.Mode { Centre = { ["ma.fast"] = Float(30), ["ma.slow"] = Int(100) }, Size = 3, BestTrialNumber = 7, BestScore = 0.5, MinScore = 0.25, MaxScore = 0.5, ScoreStd = 0.125 } },
            Overfitting = new V1.OverfittingStatistics
            {
                Winner = new V1.SharpeStatistics
                {
                    Periods = 9310, SharpeRatio = 0.05, AnnualizedSharpeRatio = 0.79, Skewness = -0.5, Kurtosis = 12, ProbabilisticSharpeRatio = 0.999,
                    DeflatedSharpeRatio = 0.97, ExpectedMaxSharpe = 0.02, Trials = 12, SharpeVariance = 0.0004, MinTrackRecordLength = 1234.5, MinBacktestLengthYears = 3.25,
                },
                Pbo = new V1.BacktestOverfitting
                {
                    Blocks = 16, Combinations = 12_870, Probability = 0.25, LogitBinEdges = { -1, 0, 1 }, LogitHistogram = { 3_000, 9_870 },
                    DegradationSlope = -0.5, DegradationIntercept = 0.01, ProbabilityOfLoss = 0.125,
                },
                Unavailable = { "deflated Sharpe ratio: it needs at least 2 completed trials with records" },
            },
        };
    }

    private static V1.SensitivityCell Cell(V1.ParameterValue low, V1.ParameterValue high, long count, double best, double mean) =>
        new() { Low = low, High = high, Count = count, BestScore = best, MeanScore = mean };

    private static V1.ParameterValue Int(long value) => new() { IntValue = value };

    private static V1.ParameterValue Float(double value) => new() { FloatValue = value };
}
