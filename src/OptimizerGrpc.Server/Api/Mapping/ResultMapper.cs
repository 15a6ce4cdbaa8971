using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Core.Analysis;
using OptimizerGrpc.Server.Engine.Results;

namespace OptimizerGrpc.Server.Api.Mapping;

/// <summary>A study's result from the domain's analysis to the wire.</summary>
internal static class ResultMapper
{
    public static StudyResult ToProto(StudyResultData data, StudySpec spec)
    {
        var outcome = data.Outcome;
        var result = new StudyResult
        {
            Study = StudyMapper.ToProto(outcome.Study, spec),
            BestTrial = outcome.Best is null ? null : TrialMapper.ToProto(outcome.Best),
        };
        for (int i = 0; i < outcome.Stages.Count; i++)
        {
            result.Stages.Add(new StageResult { Stage = result.Study.Stages[i], TargetResults = { outcome.Stages[i].Targets.Select(ToProto) } });
        }

        result.TargetResults.AddRange(outcome.Targets.Select(ToProto));
        result.RegimeResults.AddRange(outcome.Regimes.Select(r => new RegimeResult
        {
            Regime = r.Regime,
            BarCount = r.BarCount,
            Skipped = r.Skipped,
            SkipReason = r.SkipReason,
            TargetResults = { r.Targets.Select(ToProto) },
        }));
        if (outcome.WalkForward is { } wf)
        {
            result.WalkForward = ToProto(wf);
        }

        result.ParetoFronts.AddRange(data.ParetoFronts.Select(f => new ParetoFront
        {
            StageId = f.StageId,
            Trials = { f.Trials.Select(TrialMapper.ToProto) },
            Hypervolume = f.Hypervolume,
        }));
        if (data.Hierarchical is { } h)
        {
            result.Hierarchical = new HierarchicalResult
            {
                OuterTargets = { h.OuterTargets },
                InnerTargets = { h.InnerTargets },
                Candidates = { h.Candidates.Select(ToProto) },
                Best = h.Best is null ? null : ToProto(h.Best),
            };
        }

        return result;
    }

    private static TargetResult ToProto(TargetWinner w)
    {
        var wire = new TargetResult { Target = w.Target, StageId = w.StageId, TrialNumber = w.TrialNumber, Metric = w.Metric, BestScore = w.BestScore };
        ValueMapper.Fill(wire.BestParams, w.BestParams);
        return wire;
    }

    private static WalkForwardResult ToProto(WalkForwardSummary wf)
    {
        var wire = new WalkForwardResult
        {
            StitchedEquity = { wf.StitchedEquity },
            StitchedReturn = wf.StitchedReturn,
            ProfitableWindowShare = wf.ProfitableWindowShare,
            Efficiency = wf.Efficiency,
        };
        foreach (var w in wf.Windows)
        {
            var window = new WalkForwardWindow { Index = w.Index, InSample = DataContextMapper.ToProto(w.InSample), OutOfSample = DataContextMapper.ToProto(w.OutOfSample) };
            ValueMapper.Fill(window.BestParams, w.BestParams);
            Copy(window.InSampleMetrics, w.InSampleMetrics);
            Copy(window.OutOfSampleMetrics, w.OutOfSampleMetrics);
            wire.Windows.Add(window);
        }

        Copy(wire.ParameterStability, wf.ParameterStability);
        return wire;
    }

    private static HierarchicalCandidate ToProto(HierarchicalCandidateResult c)
    {
        var wire = new HierarchicalCandidate { BestScore = c.BestScore, BestTrialNumber = c.BestTrialNumber, Trials = c.Trials, CompletedTrials = c.CompletedTrials };
        ValueMapper.Fill(wire.OuterParams, c.OuterParams);
        ValueMapper.Fill(wire.InnerBestParams, c.InnerBestParams);
        return wire;
    }

    private static void Copy(Google.Protobuf.Collections.MapField<string, double> target, IReadOnlyDictionary<string, double>? source)
    {
        foreach (var (name, value) in source ?? new Dictionary<string, double>())
        {
            target[name] = value;
        }
    }
}
