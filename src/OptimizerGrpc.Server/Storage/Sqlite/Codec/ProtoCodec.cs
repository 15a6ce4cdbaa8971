using Google.Protobuf;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;
using OptimizerGrpc.Server.Engine.Store;
using OptimizerGrpc.Server.Api.Mapping;
using StudyEvent = OptimizerGrpc.Core.Studies.StudyEvent;

namespace OptimizerGrpc.Server.Storage.Sqlite.Codec;

/// <summary>
/// The store's encoding: rows hold the wire's protobuf messages (a trial as optimizer.v1.Trial, an event as
/// optimizer.v1.StudyEvent), so a stored study reads the same in every version and a row can be handed to a client as is.
/// The mapping to and from the domain is the gRPC edge's (<see cref="TrialMapper"/>, <see cref="EventMapper"/>): one
/// mapping, two uses.
/// </summary>
internal sealed class ProtoCodec : ISnapshotCodec
{
    public static ProtoCodec Instance { get; } = new();

    public byte[] EncodeTrial(TrialRecord trial) => TrialMapper.ToProto(trial).ToByteArray();

    public TrialRecord DecodeTrial(byte[] bytes, SearchSpace space) => TrialMapper.ToDomain(Trial.Parser.ParseFrom(bytes), space);

    public byte[] EncodeValue(ParamValue value) => ValueMapper.ToProto(value).ToByteArray();

    public ParamValue DecodeValue(byte[] bytes) => ValueMapper.ToDomain(ParameterValue.Parser.ParseFrom(bytes));

    public static StudyEvent DecodeEvent(byte[] bytes, StudyPlan plan) => EventMapper.ToDomain(Contracts.V1.StudyEvent.Parser.ParseFrom(bytes), plan);

    /// <summary>The rows of one engine change.</summary>
    public WriteOp Encode(StoreChange change) => change switch
    {
        UpsertTrial t => new UpsertTrialOp(
            t.StudyKey, t.Trial.Number, t.Trial.StageIndex, (int)t.Trial.State, t.Trial.Sequence, EncodeTrial(t.Trial), t.Trial.Returns?.ToBytes(), t.Score),
        AppendEvent e => Event(e),
        UpdateStudy s => new UpdateStudyOp(s.Key, (int)s.State, s.UpdateTimeMs, s.Runtime, s.LastSequence),
        InsertStudy s => new InsertStudyOp(s.Key, s.StudyId, s.DisplayName, (int)s.State, s.CreateTimeMs, s.SpecDocument, s.Owner),
        DeleteStudy d => new DeleteStudyOp(d.StudyKey),
        KeepEquity k => new UpsertEquityOp(
            k.StudyKey, k.Equity.Number, k.Equity.StageIndex, k.Equity.Score, k.Equity.StartBar, k.Equity.Stride, k.Equity.BarCount,
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(k.Equity.Equity.AsSpan()).ToArray()),
        PruneEquity p => new PruneEquityOp(p.StudyKey, p.StageIndex, "[" + string.Join(',', p.Keep) + "]"),
        _ => throw new ArgumentException($"unknown store change {change.GetType().Name}", nameof(change)),
    };

    private static InsertEventOp Event(AppendEvent e)
    {
        var wire = EventMapper.ToProto(e.Event);
        return new InsertEventOp(e.StudyKey, wire.Sequence, (int)wire.KindCase, wire.ToByteArray());
    }
}
