using Google.Protobuf.WellKnownTypes;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;
using StudyEvent = OptimizerGrpc.Core.Studies.StudyEvent;
using WireEvent = OptimizerGrpc.Contracts.V1.StudyEvent;

namespace OptimizerGrpc.Server.Api.Mapping;

/// <summary>Study events between the domain and the wire (and the store's encoding, which is the wire's).</summary>
internal static class EventMapper
{
    public static WireEvent ToProto(StudyEvent e)
    {
        var wire = new WireEvent { StudyId = e.StudyId, Sequence = e.Sequence, Time = Timestamp.FromDateTimeOffset(e.Time) };
        switch (e)
        {
            case TrialFinishedEvent f:
                wire.TrialFinished = new TrialFinished { Trial = TrialMapper.ToProto(f.Trial) };
                break;
            case NewBestEvent b:
                wire.NewBest = new NewBest { StageId = StageIds.Of(b.StageIndex), Trial = TrialMapper.ToProto(b.Trial) };
                break;
            case StageStartedEvent s:
                wire.StageStarted = new StageStarted { Stage = StudyMapper.ToProto(s.Stage) };
                break;
            case StageCompletedEvent c:
                wire.StageCompleted = new StageCompleted { Stage = StudyMapper.ToProto(c.Stage) };
                break;
            case StudyStateChangedEvent c:
                wire.StudyStateChanged = new StudyStateChanged { State = StudyMapper.ToProto(c.State), PreviousState = StudyMapper.ToProto(c.Previous), Reason = c.Reason, FailureReasons = { c.FailureReasons.Select(StudyMapper.ToProto) } };
                break;
            case TrialRequeuedEvent r:
                wire.TrialRequeued = new TrialRequeued { StudyId = e.StudyId, Number = r.Number, Attempt = r.Attempt, WorkerId = r.WorkerId };
                break;
            default:
                throw new ArgumentException($"unknown event {e.GetType().Name}", nameof(e));
        }

        return wire;
    }

    /// <summary>A stored event back in the domain; stages are rebuilt from the study's plan plus what the event recorded.</summary>
    public static StudyEvent ToDomain(WireEvent wire, StudyPlan plan)
    {
        StudyEvent e = wire.KindCase switch
        {
            WireEvent.KindOneofCase.TrialFinished => new TrialFinishedEvent(TrialMapper.ToDomain(wire.TrialFinished.Trial, plan.Space)),
            WireEvent.KindOneofCase.NewBest => new NewBestEvent(StageIds.TryParse(wire.NewBest.StageId, out int i) ? i : 0, TrialMapper.ToDomain(wire.NewBest.Trial, plan.Space)),
            WireEvent.KindOneofCase.StageStarted => new StageStartedEvent(StageOf(wire.StageStarted.Stage, plan)),
            WireEvent.KindOneofCase.StageCompleted => new StageCompletedEvent(StageOf(wire.StageCompleted.Stage, plan)),
            WireEvent.KindOneofCase.StudyStateChanged => new StudyStateChangedEvent(
                StudyMapper.ToDomain(wire.StudyStateChanged.State), StudyMapper.ToDomain(wire.StudyStateChanged.PreviousState), wire.StudyStateChanged.Reason)
            {
                FailureReasons = [.. wire.StudyStateChanged.FailureReasons.Select(StudyMapper.ToDomain)],
            },
            WireEvent.KindOneofCase.TrialRequeued => new TrialRequeuedEvent(wire.TrialRequeued.Number, wire.TrialRequeued.Attempt, wire.TrialRequeued.WorkerId),
            _ => throw new InvalidDataException($"stored event {wire.Sequence} has no kind"),
        };
        return e with { StudyId = wire.StudyId, Sequence = wire.Sequence, Time = wire.Time?.ToDateTimeOffset() ?? default };
    }

    private static StageView StageOf(Contracts.V1.Stage stage, StudyPlan plan)
    {
        var definition = plan.Stages[stage.Index];
        var fixedParams = stage.FixedParams.Select(p => KeyValuePair.Create(p.Key, ValueMapper.ToDomain(p.Value))).ToList();
        return new StageView(
            definition,
            (Core.Studies.StageState)(int)stage.State,
            stage.BestTrial is null ? null : TrialMapper.ToDomain(stage.BestTrial, plan.Space),
            StudyMapper.ToDomain(stage.Counts),
            fixedParams,
            definition.MethodOverride ?? plan.Method,
            plan.Seed,
            plan.AllowRepeats,
            stage.SkipReason);
    }
}
