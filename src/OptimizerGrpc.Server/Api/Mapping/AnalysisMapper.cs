using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Core.Analysis;
using OptimizerGrpc.Core.Analysis.Landscape;
using OptimizerGrpc.Core.Analysis.Overfitting;
using CoreImportance = OptimizerGrpc.Core.Analysis.Landscape.ParameterImportance;
using CoreSensitivity = OptimizerGrpc.Core.Analysis.Landscape.ParameterSensitivity;
using ParameterImportance = OptimizerGrpc.Contracts.V1.ParameterImportance;
using ParameterSensitivity = OptimizerGrpc.Contracts.V1.ParameterSensitivity;
using SensitivityCell = OptimizerGrpc.Contracts.V1.SensitivityCell;

namespace OptimizerGrpc.Server.Api.Mapping;

/// <summary>A study's analysis from Core's reports to the wire.</summary>
internal static class AnalysisMapper
{
    public static StudyAnalysis ToProto(StudyAnalysisReport report)
    {
        var wire = new StudyAnalysis { Stages = { report.Stages.Select(ToProto) } };
        if (report.Regimes is { } r)
        {
            wire.Regimes = new RegimeMatrix { Regimes = { r.Regimes }, BarShares = { r.BarShares }, SharpeRatios = { r.SharpeRatios }, Unavailable = r.Unavailable };
        }

        if (report.WalkForward is { } w)
        {
            wire.WalkForward = new Contracts.V1.WalkForwardAnalysis
            {
                WindowEfficiency = { w.WindowEfficiency },
                ProfitableWindowShare = w.ProfitableWindowShare,
                Stitched = w.Stitched is null ? null : ToProto(w.Stitched),
                StitchedEquity = { w.StitchedEquity },
            };
            foreach (var (name, drift) in w.ParameterDrift)
            {
                wire.WalkForward.ParameterDrift[name] = drift;
            }
        }

        return wire;
    }

    private static StageAnalysis ToProto(StageAnalysisReport s)
    {
        var wire = new StageAnalysis
        {
            StageId = s.StageId, Metric = s.Metric, CompletedTrials = s.CompletedTrials, Unavailable = s.Unavailable, ParetoFront = { s.ParetoFront },
        };
        if (s.Landscape is { } l)
        {
            wire.Importance.AddRange(l.Importance.Select(ToProto));
            wire.Sensitivity.AddRange(l.Sensitivity.Select(ToProto));
            wire.Surfaces.AddRange(l.Surfaces.Select(p => new SensitivitySurface
            {
                RowParameter = p.RowParameter,
                ColumnParameter = p.ColumnParameter,
                Rows = p.Rows,
                Columns = p.Columns,
                BestScores = { p.Best },
                Counts = { p.Counts },
            }));
            wire.Robustness = new Robustness
            {
                Top = { l.Robustness.Top.Select(e => ToProto(e, l.Parameters)) },
                Best = l.Robustness.Best is null ? null : ToProto(l.Robustness.Best, l.Parameters),
                RobustPick = l.Robustness.RobustPick is null ? null : ToProto(l.Robustness.RobustPick, l.Parameters),
                MedianScore = l.Robustness.MedianScore,
                ScoreSpread = l.Robustness.ScoreSpread,
            };
            wire.Modes.AddRange(l.Modes.Modes.Select(m => ToProto(m, l.Parameters)));
        }

        if (s.Overfitting is { } o)
        {
            wire.Overfitting = new OverfittingStatistics
            {
                Winner = o.Winner is null ? null : ToProto(o.Winner),
                Pbo = o.Pbo is null ? null : ToProto(o.Pbo),
                Unavailable = { o.Unavailable },
            };
        }

        return wire;
    }

    private static ParameterImportance ToProto(CoreImportance i) => new() { Parameter = i.Parameter, Importance = i.Normalized, Divergence = i.Divergence };

    private static ParameterSensitivity ToProto(CoreSensitivity s) => new()
    {
        Parameter = s.Parameter,
        Kind = s.Kind switch
        {
            Core.Analysis.Landscape.CellKind.Value => Contracts.V1.CellKind.Value,
            Core.Analysis.Landscape.CellKind.Bin => Contracts.V1.CellKind.Bin,
            _ => Contracts.V1.CellKind.Choice,
        },
        Cells =
        {
            s.Cells.Select(c => new SensitivityCell
            {
                Low = ValueMapper.ToProto(c.Low),
                High = ValueMapper.ToProto(c.High),
                Count = c.Count,
                BestScore = c.Best,
                MeanScore = c.Mean,
            }),
        },
    };

    private static NeighbourhoodScore ToProto(RobustnessEntry e, IReadOnlyList<string> parameters)
    {
        var wire = new NeighbourhoodScore
        {
            TrialNumber = e.TrialNumber,
            Score = e.Score,
            NeighbourhoodMean = e.NeighbourhoodMean,
            Neighbours = e.Neighbours,
            IsolatedPeak = e.IsolatedPeak,
        };
        for (int i = 0; i < parameters.Count; i++)
        {
            wire.Params[parameters[i]] = ValueMapper.ToProto(e.Params[i]);
            if (e.OnEdge[i] == RangeEdge.Low)
            {
                wire.OnLowEdge.Add(parameters[i]);
            }
            else if (e.OnEdge[i] == RangeEdge.High)
            {
                wire.OnHighEdge.Add(parameters[i]);
            }
        }

        return wire;
    }

    private static Mode ToProto(LandscapeMode m, IReadOnlyList<string> parameters)
    {
        var wire = new Mode
        {
            Size = m.Size,
            BestTrialNumber = m.BestTrialNumber,
            BestScore = m.BestScore,
            MinScore = m.MinScore,
            MaxScore = m.MaxScore,
            ScoreStd = m.ScoreStd,
        };
        for (int i = 0; i < parameters.Count; i++)
        {
            wire.Centre[parameters[i]] = ValueMapper.ToProto(m.Centre[i]);
        }

        return wire;
    }

    private static Contracts.V1.SharpeStatistics ToProto(WinnerStatistics w) => new()
    {
        Periods = w.Periods,
        SharpeRatio = w.SharpeRatio,
        AnnualizedSharpeRatio = w.AnnualizedSharpeRatio,
        Skewness = w.Skewness,
        Kurtosis = w.Kurtosis,
        ProbabilisticSharpeRatio = w.ProbabilisticSharpeRatio,
        DeflatedSharpeRatio = w.DeflatedSharpeRatio,
        ExpectedMaxSharpe = w.ExpectedMaxSharpe,
        Trials = w.Trials,
        SharpeVariance = w.SharpeVariance,
        MinTrackRecordLength = w.MinTrackRecordLength,
        MinBacktestLengthYears = w.MinBacktestLengthYears,
    };

    private static Contracts.V1.BacktestOverfitting ToProto(BacktestOverfittingResult p) => new()
    {
        Blocks = p.BlockCount,
        Combinations = p.Splits.Count,
        Probability = p.Probability,
        LogitBinEdges = { p.Histogram.Edges },
        LogitHistogram = { p.Histogram.Counts.Select(c => (long)c) },
        DegradationSlope = p.DegradationSlope,
        DegradationIntercept = p.DegradationIntercept,
        ProbabilityOfLoss = p.ProbabilityOfLoss,
    };
}
