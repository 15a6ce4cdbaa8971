using Google.Protobuf.Collections;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Server.Services;

/// <summary>Maps between wire values and domain values, in one place.</summary>
internal static class ProtoMapper
{
    public static ParamValue ToDomain(ParameterValue value) => value.KindCase switch
    {
        ParameterValue.KindOneofCase.IntValue => ParamValue.Int(value.IntValue),
        ParameterValue.KindOneofCase.FloatValue => ParamValue.Float(value.FloatValue),
        ParameterValue.KindOneofCase.StringValue => ParamValue.String(value.StringValue),
        ParameterValue.KindOneofCase.BoolValue => ParamValue.Bool(value.BoolValue),
        _ => throw new ArgumentException("parameter value has no kind set", nameof(value)),
    };

    public static ParameterValue ToProto(ParamValue value) => value.Kind switch
    {
        ParamKind.Int => new ParameterValue { IntValue = value.AsInt },
        ParamKind.Float => new ParameterValue { FloatValue = value.AsFloat },
        ParamKind.String => new ParameterValue { StringValue = value.AsString },
        ParamKind.Bool => new ParameterValue { BoolValue = value.AsBool },
        _ => new ParameterValue(),
    };

    /// <summary>A wire backtest record as the metric library's series; trade bars become indices into the equity array.</summary>
    public static Core.Metrics.BacktestSeries ToSeries(BacktestRecord record)
    {
        var trades = new Core.Metrics.TradeRecord[record.Trades.Count];
        for (int i = 0; i < trades.Length; i++)
        {
            var t = record.Trades[i];
            trades[i] = new Core.Metrics.TradeRecord(
                t.EntryBar - record.StartBar, t.ExitBar - record.StartBar, (Core.Metrics.TradeSide)(int)t.Side, t.Size, t.EntryPrice, t.ExitPrice, t.Return, t.Pnl);
        }

        return new Core.Metrics.BacktestSeries(
            [.. record.Equity],
            trades,
            record.TimestampsUnixMs.Count > 0 ? [.. record.TimestampsUnixMs] : null,
            record.Position.Count > 0 ? [.. record.Position] : null);
    }

    public static void FillParams(MapField<string, ParameterValue> target, SearchSpace space, ParamValue[] assignment)
    {
        for (int i = 0; i < assignment.Length; i++)
        {
            target[space.Parameters[i].Name] = ToProto(assignment[i]);
        }
    }

    /// <summary>Reads a trial's assignment back in space order (used when restoring observations).</summary>
    public static ParamValue[] ToAssignment(MapField<string, ParameterValue> values, SearchSpace space)
    {
        var result = new ParamValue[space.Count];
        for (int i = 0; i < space.Count; i++)
        {
            result[i] = values.TryGetValue(space.Parameters[i].Name, out var v) ? ToDomain(v) : default;
        }

        return result;
    }
}
