using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Core.Studies;
using DataContext = OptimizerGrpc.Core.Studies.DataContext;
using WireDataContext = OptimizerGrpc.Contracts.V1.DataContext;

namespace OptimizerGrpc.Server.Api.Mapping;

/// <summary>Data contexts between the wire and the domain.</summary>
internal static class DataContextMapper
{
    public static WireDataContext ToProto(DataContext context)
    {
        var wire = new WireDataContext { Label = context.Label, EvaluateWholeSeries = context.EvaluateWholeSeries };
        switch (context)
        {
            case WindowContext w:
                wire.Window = ToProto(w.Window);
                break;
            case RegimeContext r:
                wire.Segments = new RegimeSegments { Regime = r.Regime, Segments = { r.Segments.Select(ToProto) } };
                break;
            default:
                wire.Whole = new WholeSeries();
                break;
        }

        return wire;
    }

    public static DataContext ToDomain(WireDataContext? wire) => wire?.KindCase switch
    {
        WireDataContext.KindOneofCase.Window => new WindowContext(ToDomain(wire.Window), wire.Label, wire.EvaluateWholeSeries),
        WireDataContext.KindOneofCase.Segments => new RegimeContext(
            wire.Segments.Regime, [.. wire.Segments.Segments.Select(ToDomain)], wire.Label, wire.EvaluateWholeSeries),
        _ => new WholeSeriesContext(wire?.Label ?? DataContext.Whole.Label),
    };

    public static BarWindow ToProto(BarRange range) => new() { StartBar = range.Start, EndBar = range.End };

    public static BarRange ToDomain(BarWindow window) => new(window.StartBar, window.EndBar);
}
