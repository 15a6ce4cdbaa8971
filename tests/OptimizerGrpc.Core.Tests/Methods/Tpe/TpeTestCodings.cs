using OptimizerGrpc.Core.Methods.Tpe;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Tests.Methods.Tpe;

/// <summary>Codings the TPE tests compute their expected values by hand on.</summary>
internal static class TpeTestCodings
{
    /// <summary>An integer window of 21 values (coded 0..20, kernels truncated to [-0.5, 20.5], a range of 21), a float in
    /// [0, 10], a choice of 3.</summary>
    public static readonly TpeCoding WindowThresholdSide = new(new SearchSpace(
    [
        new SearchParameter("w", new IntDomain(0, 20, 1)),
        new SearchParameter("t", new FloatDomain(0, 10, null, false)),
        new SearchParameter("side", new CategoricalDomain(["long", "short", "both"])),
    ]));
}
