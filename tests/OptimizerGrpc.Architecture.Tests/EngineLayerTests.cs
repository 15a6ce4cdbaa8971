using ArchUnitNET.Domain;
using ArchUnitNET.Fluent.Syntax.Elements.Types;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace OptimizerGrpc.Architecture.Tests;

public sealed class EngineLayerTests
{
    private const string EngineDescription = "Types in " + Layers.Engine + "*";

    private static readonly string[] s_forbidden =
    [
        Layers.Contracts, Layers.Protobuf, Layers.GoogleRpc, Layers.Grpc,
        Layers.ServerApi, Layers.Storage, Layers.EntityFrameworkCore, Layers.Sqlite,
    ];

    [Fact]
    public void Engine_AnyType_ReferencesNoWireGrpcOrStorageType() =>
        LayerRule.Check(
            EngineTypes(),
            EngineDescription,
            s_forbidden,
            "the engine works on domain records; the gRPC layer maps the wire to them and the storage layer implements the engine's store interface");

    [Fact]
    public void Engine_StorageAccess_OnlyThroughInterfacesItOwns() =>
        LayerRule.Check(
            EngineTypes(),
            EngineDescription,
            type => Layers.IsIn(LayerRule.NamespaceOf(type), Layers.Storage) && type is not Interface,
            $"concrete (non-interface) types in {Layers.Storage}*",
            $"the engine owns its store interface (e.g. {Layers.Engine}.Store.IStudyStore) and the SQLite store implements it; the engine never names the implementation");

    [Fact]
    public void Engine_AnyType_ReferencesNoHostingType() =>
        LayerRule.Check(
            EngineTypes(),
            EngineDescription,
            [Layers.Hosting],
            "hosting composes the engine into the app; the engine does not know how it is hosted");

    private static GivenTypesConjunction EngineTypes() =>
        Types().That().ResideInNamespaceOrBelow(Layers.Engine);
}
