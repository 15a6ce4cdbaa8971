using V1 = OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Client;

/// <summary>
/// Converts a study's analysis from the wire to the client's records, and the analysis settings to the wire.
/// Empty reasons on the wire ("" = available) become null; unset sub-messages become null.
/// </summary>
internal static class AnalysisMapper
{
    public static V1.AnalysisOptions ToProto(AnalysisSettings settings)
    {
        // Only the settings given are sent: an unset optional field takes the server's default.
        var options = new V1.AnalysisOptions();
        if (settings.TopFraction is { } top)
        {
            options.TopFraction = top;
        }

        if (settings.Bins is { } bins)
        {
            options.Bins = bins;
        }

        if (settings.RobustTop is { } robustTop)
        {
            options.RobustTop = robustTop;
        }

        if (settings.PboBlocks is { } blocks)
        {
            options.PboBlocks = blocks;
        }

        if (settings.SurfaceParameters is { } surfaces)
        {
            options.SurfaceParameters = surfaces;
        }

        if (settings.PboMaxTrials is { } maxTrials)
        {
            options.PboMaxTrials = maxTrials;
        }

        if (settings.ModeRadius is { } radius)
        {
            options.ModeRadius = radius;
        }

        return options;
    }

    public static StudyAnalysisInfo ToStudyAnalysis(V1.StudyAnalysis analysis) => new(
        [.. analysis.Stages.Select(ToStageAnalysis)],
        analysis.Regimes is { } r ? new RegimeMatrixInfo([.. r.Regimes], [.. r.BarShares], [.. r.SharpeRatios], Reason(r.Unavailable)) : null,
        analysis.WalkForward is { } w
            ? new WalkForwardAnalysisInfo(
                [.. w.WindowEfficiency], w.ProfitableWindowShare, w.Stitched is { } s ? ToSharpe(s) : null,
                new Dictionary<string, double>(w.ParameterDrift, StringComparer.Ordinal))
            {
                StitchedEquity = [.. w.StitchedEquity],
            }
            : null);

    public static StageAnalysisInfo ToStageAnalysis(V1.StageAnalysis stage) => new()
    {
        StageId = stage.StageId,
        Metric = stage.Metric,
        CompletedTrials = stage.CompletedTrials,
        Importance = [.. stage.Importance.Select(i => new ParameterImportanceInfo(i.Parameter, i.Importance, i.Divergence))],
        Sensitivity = [.. stage.Sensitivity.Select(ToSensitivity)],
        Surfaces = [.. stage.Surfaces.Select(s => new SensitivitySurfaceInfo(s.RowParameter, s.ColumnParameter, s.Rows, s.Columns, [.. s.BestScores], [.. s.Counts]))],
        Robustness = stage.Robustness is { } r
            ? new RobustnessInfo([.. r.Top.Select(ToNeighbourhood)], ToNeighbourhoodOrNull(r.Best), ToNeighbourhoodOrNull(r.RobustPick), r.MedianScore, r.ScoreSpread)
            : null,
        Modes = [.. stage.Modes.Select(m => new ModeInfo(ProtoMapper.ToParams(m.Centre), m.Size, m.BestTrialNumber, m.BestScore, m.MinScore, m.MaxScore, m.ScoreStd))],
        Overfitting = stage.Overfitting is { } o
            ? new OverfittingStatisticsInfo(o.Winner is { } w ? ToSharpe(w) : null, o.Pbo is { } p ? ToPbo(p) : null, [.. o.Unavailable])
            : null,
        Unavailable = Reason(stage.Unavailable),
        ParetoFront = [.. stage.ParetoFront],
    };

    public static SharpeStatisticsInfo ToSharpe(V1.SharpeStatistics s) => new()
    {
        Periods = s.Periods,
        SharpeRatio = s.SharpeRatio,
        AnnualizedSharpeRatio = s.AnnualizedSharpeRatio,
        Skewness = s.Skewness,
        Kurtosis = s.Kurtosis,
        ProbabilisticSharpeRatio = s.ProbabilisticSharpeRatio,
        DeflatedSharpeRatio = s.DeflatedSharpeRatio,
        ExpectedMaxSharpe = s.ExpectedMaxSharpe,
        Trials = s.Trials,
        SharpeVariance = s.SharpeVariance,
        MinTrackRecordLength = s.MinTrackRecordLength,
        MinBacktestLengthYears = s.MinBacktestLengthYears,
    };

    private static BacktestOverfittingInfo ToPbo(V1.BacktestOverfitting p) => new()
    {
        Blocks = p.Blocks,
        Combinations = p.Combinations,
        Probability = p.Probability,
        LogitBinEdges = [.. p.LogitBinEdges],
        LogitHistogram = [.. p.LogitHistogram],
        DegradationSlope = p.DegradationSlope,
        DegradationIntercept = p.DegradationIntercept,
        ProbabilityOfLoss = p.ProbabilityOfLoss,
    };

    private static ParameterSensitivityInfo ToSensitivity(V1.ParameterSensitivity s) => new(
        s.Parameter,
        (CellKind)(int)s.Kind,
        [.. s.Cells.Select(c => new SensitivityCellInfo(ToValue(c.Low), ToValue(c.High), c.Count, c.BestScore, c.MeanScore))]);

    private static NeighbourhoodScoreInfo? ToNeighbourhoodOrNull(V1.NeighbourhoodScore? score) => score is null ? null : ToNeighbourhood(score);

    private static NeighbourhoodScoreInfo ToNeighbourhood(V1.NeighbourhoodScore score) => new()
    {
        TrialNumber = score.TrialNumber,
        Params = ProtoMapper.ToParams(score.Params),
        Score = score.Score,
        NeighbourhoodMean = score.NeighbourhoodMean,
        Neighbours = score.Neighbours,
        IsolatedPeak = score.IsolatedPeak,
        OnLowEdge = [.. score.OnLowEdge],
        OnHighEdge = [.. score.OnHighEdge],
    };

    // A cell's edges are always set by the server; an unset one reads as an unset value rather than failing the analysis.
    private static ParamValue ToValue(V1.ParameterValue? value) =>
        value is null || value.KindCase == V1.ParameterValue.KindOneofCase.None ? default : ProtoMapper.ToParamValue(value);

    private static string? Reason(string reason) => string.IsNullOrEmpty(reason) ? null : reason;
}
