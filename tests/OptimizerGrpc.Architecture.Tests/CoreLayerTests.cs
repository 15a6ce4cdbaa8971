using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace OptimizerGrpc.Architecture.Tests;

public sealed class CoreLayerTests
{
    private static readonly string[] s_forbidden =
    [
        Layers.Contracts, Layers.Protobuf, Layers.GoogleRpc, Layers.Grpc,
        Layers.AspNetCore, Layers.EntityFrameworkCore, Layers.Server,
    ];

    [Fact]
    public void Core_AnyType_ReferencesNoWireFrameworkOrServerType() =>
        LayerRule.Check(
            Types().That().ResideInAssembly(ProductAssemblies.Core),
            "Types in the Core assembly",
            s_forbidden,
            "the domain is plain C#: proto, gRPC, ASP.NET Core and EF Core stay at the edge, and the server depends on Core, never the reverse");
}
