using Google.Protobuf.WellKnownTypes;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Core.Studies;
using Stage = OptimizerGrpc.Contracts.V1.Stage;
using StudyView = OptimizerGrpc.Core.Studies.StudyView;
using WireStageState = OptimizerGrpc.Contracts.V1.StageState;
using WireStudyState = OptimizerGrpc.Contracts.V1.StudyState;
using TrialCounts = OptimizerGrpc.Contracts.V1.TrialCounts;

namespace OptimizerGrpc.Server.Api.Mapping;

/// <summary>Studies and stages from the domain's views to the wire. Enum values are shared (see Core's States).</summary>
internal static class StudyMapper
{
    /// <param name="spec">The study's spec as created; null leaves it out (lists, events).</param>
    public static Study ToProto(StudyView view, StudySpec? spec) => new()
    {
        StudyId = view.StudyId,
        Spec = spec,
        State = ToProto(view.State),
        StateReason = view.StateReason,
        CreateTime = Timestamp.FromDateTimeOffset(view.CreateTime),
        UpdateTime = Timestamp.FromDateTimeOffset(view.UpdateTime),
        Counts = ToProto(view.Counts),
        BestTrial = view.Best is null ? null : TrialMapper.ToProto(view.Best),
        LastSequence = view.LastSequence,
        Stages = { view.Stages.Select(ToProto) },
        FailureReasons = { view.FailureReasons.Select(ToProto) },
    };

    public static FailureReason ToProto(FailureCount failure) => new() { Reason = failure.Reason, Count = failure.Count };

    public static FailureCount ToDomain(FailureReason failure) => new(failure.Reason, failure.Count);

    public static Stage ToProto(StageView stage)
    {
        var d = stage.Definition;
        var wire = new Stage
        {
            StageId = d.StageId,
            Index = d.Index,
            Name = d.Name,
            Targets = { d.Targets },
            Method = MethodMapper.ToProto(stage.Method, stage.Seed, stage.AllowRepeats),
            Objectives = { d.Objectives.Select(o => new Objective { Metric = o.Metric, Direction = o.Maximize ? Direction.Maximize : Direction.Minimize }) },
            DataContext = DataContextMapper.ToProto(d.Context),
            State = (WireStageState)(int)stage.State,
            BestTrial = stage.Best is null ? null : TrialMapper.ToProto(stage.Best),
            Counts = ToProto(stage.Counts),
            MaxTrials = d.MaxTrials,
            PlannedTrials = d.PlannedTrials,
            Regime = d.Regime,
            WinnerOfRegime = d.WinnerOfRegime,
            SkipReason = stage.SkipReason,
        };
        if (d.WindowIndex is { } window)
        {
            wire.WindowIndex = window;
        }

        ValueMapper.Fill(wire.FixedParams, stage.FixedParams);
        return wire;
    }

    public static WireStudyState ToProto(Core.Studies.StudyState state) => (WireStudyState)(int)state;

    public static Core.Studies.StudyState ToDomain(WireStudyState state) => (Core.Studies.StudyState)(int)state;

    public static TrialCounts ToProto(Core.Studies.TrialCounts c) => new()
    {
        Pending = c.Pending,
        Running = c.Running,
        Completed = c.Completed,
        Infeasible = c.Infeasible,
        Failed = c.Failed,
        Pruned = c.Pruned,
    };

    public static Core.Studies.TrialCounts ToDomain(TrialCounts? c) => c is null ? default : new()
    {
        Pending = c.Pending,
        Running = c.Running,
        Completed = c.Completed,
        Infeasible = c.Infeasible,
        Failed = c.Failed,
        Pruned = c.Pruned,
    };
}
