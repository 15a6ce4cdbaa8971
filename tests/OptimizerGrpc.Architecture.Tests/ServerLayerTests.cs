using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace OptimizerGrpc.Architecture.Tests;

public sealed class ServerLayerTests
{
    // The layers of the server assembly that may name a proto type: the gRPC services and their mapping,
    // the storage codec (SQLite rows hold proto-encoded payloads) and hosting (it maps the gRPC services).
    private static readonly string[] s_protoAllowed = [Layers.ServerApi, Layers.Storage, Layers.Hosting];

    [Fact]
    public void Server_TypesOutsideGrpcStorageAndHosting_ReferenceNoProtoType() =>
        LayerRule.Check(
            Types().That().ResideInAssembly(ProductAssemblies.Server[0], [.. ProductAssemblies.Server.Skip(1)])
                .And().FollowCustomPredicate(
                    type => !Layers.IsInAny(LayerRule.NamespaceOf(type), s_protoAllowed),
                    "reside outside " + Layers.Describe(s_protoAllowed)),
            "Types of the server assemblies outside " + Layers.Describe(s_protoAllowed),
            Layers.Proto,
            "wire types are mapped to domain records in one place at the edge (Server.Api.Mapping), and encoded only by the storage codec");

    // Storage may use the proto <-> domain mappers of Server.Api.Mapping: the codec stores domain records
    // in their proto encoding, and one mapping (tested once) is better than two that can drift apart.
    // It must not reach the services, the work session or the interceptor: those serve RPCs.
    [Fact]
    public void Storage_AnyType_ReferencesNoGrpcServiceType() =>
        LayerRule.Check(
            Types().That().ResideInNamespaceOrBelow(Layers.Storage),
            $"Types in {Layers.Storage}*",
            type => Layers.IsIn(LayerRule.NamespaceOf(type), Layers.ServerApi)
                && !Layers.IsIn(LayerRule.NamespaceOf(type), Layers.ServerApiMapping),
            $"types in {Layers.ServerApi}* other than {Layers.ServerApiMapping}*",
            "storage sits below the RPC layer; only the mapping is shared, for the codec");
}
