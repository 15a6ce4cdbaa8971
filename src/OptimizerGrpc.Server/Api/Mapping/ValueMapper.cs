using Google.Protobuf.Collections;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Server.Api.Mapping;

/// <summary>Parameter values between the wire and the domain.</summary>
internal static class ValueMapper
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

    public static void Fill(MapField<string, ParameterValue> target, IEnumerable<KeyValuePair<string, ParamValue>> values)
    {
        foreach (var (name, value) in values)
        {
            target[name] = ToProto(value);
        }
    }

    /// <summary>Reads an assignment of <paramref name="space"/> back in space order; a missing value stays unset.</summary>
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
