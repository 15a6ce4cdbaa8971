using Google.Protobuf.WellKnownTypes;
using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;
using Trial = OptimizerGrpc.Contracts.V1.Trial;
using WireTrialState = OptimizerGrpc.Contracts.V1.TrialState;

namespace OptimizerGrpc.Server.Api.Mapping;

/// <summary>Trials between the wire (and the store's encoding, which is the wire's) and the domain.</summary>
internal static class TrialMapper
{
    // On the wire, the reason of a trial the server closed without a worker's result starts with this.
    private const string ClosedWithoutResult = "closed without a result: ";

    public static Trial ToProto(TrialRecord t)
    {
        var wire = new Trial
        {
            StudyId = t.StudyId,
            StageId = t.StageId,
            Number = t.Number,
            Attempt = t.Attempt,
            State = (WireTrialState)(int)t.State,
            DataContext = DataContextMapper.ToProto(t.Context),
            Reason = t.ClosedWithoutResult ? ClosedWithoutResult + t.Reason : t.Reason,
            WorkerId = t.WorkerId,
            CreateTime = Timestamp.FromDateTimeOffset(t.CreateTime),
            StartTime = ToTimestamp(t.StartTime),
            EndTime = ToTimestamp(t.EndTime),
            LeaseExpireTime = ToTimestamp(t.LeaseExpireTime),
            Sequence = t.Sequence,
        };
        ValueMapper.Fill(wire.Params, t.NamedParams());
        foreach (var (name, value) in t.Values)
        {
            wire.Values[name] = value;
        }

        wire.ObjectiveValues.AddRange(t.ObjectiveValues);
        wire.WindowEquity.AddRange(t.WindowEquity);
        return wire;
    }

    /// <param name="space">The study's space: the trial assigns every parameter of it.</param>
    public static TrialRecord ToDomain(Trial t, SearchSpace space)
    {
        bool closed = t.Reason.StartsWith(ClosedWithoutResult, StringComparison.Ordinal);
        return new TrialRecord
        {
            StudyId = t.StudyId,
            StageIndex = StageIds.TryParse(t.StageId, out int stage) ? stage : 0,
            Number = t.Number,
            Attempt = t.Attempt,
            State = (TrialState)(int)t.State,
            Space = space,
            Params = ValueMapper.ToAssignment(t.Params, space),
            Context = DataContextMapper.ToDomain(t.DataContext),
            Values = new Dictionary<string, double>(t.Values, StringComparer.Ordinal),
            ObjectiveValues = [.. t.ObjectiveValues],
            Reason = closed ? t.Reason[ClosedWithoutResult.Length..] : t.Reason,
            ClosedWithoutResult = closed,
            WorkerId = t.WorkerId,
            CreateTime = t.CreateTime?.ToDateTimeOffset() ?? default,
            StartTime = t.StartTime?.ToDateTimeOffset(),
            EndTime = t.EndTime?.ToDateTimeOffset(),
            LeaseExpireTime = t.LeaseExpireTime?.ToDateTimeOffset(),
            Sequence = t.Sequence,
            WindowEquity = [.. t.WindowEquity],
        };
    }

    private static Timestamp? ToTimestamp(DateTimeOffset? time) => time is { } t ? Timestamp.FromDateTimeOffset(t) : null;
}
