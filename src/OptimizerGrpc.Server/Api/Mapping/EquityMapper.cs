using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Core.Studies;
using OptimizerGrpc.Server.Engine.Store;

namespace OptimizerGrpc.Server.Api.Mapping;

/// <summary>Kept equity curves to the wire.</summary>
internal static class EquityMapper
{
    public static EquityCurve ToProto(KeptEquity kept)
    {
        ArgumentNullException.ThrowIfNull(kept);
        return new EquityCurve
        {
            TrialNumber = kept.Number,
            StageId = StageIds.Of(kept.StageIndex),
            Score = kept.Score,
            StartBar = kept.StartBar,
            Stride = kept.Stride,
            BarCount = kept.BarCount,
            Equity = { kept.Equity },
        };
    }

    /// <summary>The best <paramref name="top"/> curves of each stage, by stage, best first.</summary>
    public static ListEquityCurvesResponse ToResponse(IReadOnlyList<KeptEquity> kept, int top, int keptPerStage)
    {
        ArgumentNullException.ThrowIfNull(kept);
        var response = new ListEquityCurvesResponse { KeptPerStage = keptPerStage };
        response.Curves.AddRange(kept.GroupBy(k => k.StageIndex).OrderBy(g => g.Key).SelectMany(g => g.Take(top)).Select(ToProto));
        return response;
    }
}
