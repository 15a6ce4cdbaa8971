namespace OptimizerGrpc.Architecture.Tests;

/// <summary>
/// The namespaces the rules speak of. A rule on "X" covers X and every namespace below it
/// (X.Y, X.Y.Z), never a sibling that merely shares the prefix (XY).
/// </summary>
internal static class Layers
{
    // Product layers, as laid out by the restructuring (namespaces follow folders).
    public const string Core = "OptimizerGrpc.Core";
    public const string Server = "OptimizerGrpc.Server";
    public const string ServerApi = "OptimizerGrpc.Server.Api";
    public const string ServerApiMapping = "OptimizerGrpc.Server.Api.Mapping";
    public const string Engine = "OptimizerGrpc.Server.Engine";
    public const string Storage = "OptimizerGrpc.Server.Storage";
    public const string Hosting = "OptimizerGrpc.Server.Hosting";
    public const string Client = "OptimizerGrpc.Client";
    public const string Trading = "OptimizerGrpc.Trading";

    // Generated wire types: our contract, protobuf's runtime and well-known types, and google.rpc
    // (BadRequest and Status come from Grpc.StatusProto and are protobuf messages too).
    public const string Contracts = "OptimizerGrpc.Contracts";
    public const string Protobuf = "Google.Protobuf";
    public const string GoogleRpc = "Google.Rpc";

    // Frameworks.
    public const string Grpc = "Grpc";
    public const string AspNetCore = "Microsoft.AspNetCore";
    public const string EntityFrameworkCore = "Microsoft.EntityFrameworkCore";
    public const string Sqlite = "Microsoft.Data.Sqlite";

    /// <summary>Everything that is a generated proto type.</summary>
    public static readonly string[] Proto = [Contracts, Protobuf, GoogleRpc];

    /// <summary>True when <paramref name="ns"/> is <paramref name="root"/> or below it.</summary>
    public static bool IsIn(string? ns, string root) =>
        ns is not null
        && (ns.Equals(root, StringComparison.Ordinal) || ns.StartsWith(root + ".", StringComparison.Ordinal));

    /// <summary>True when <paramref name="ns"/> is in (or below) any of <paramref name="roots"/>.</summary>
    public static bool IsInAny(string? ns, IEnumerable<string> roots) => roots.Any(root => IsIn(ns, root));

    /// <summary>"A*, B*, C*" for a rule's description.</summary>
    public static string Describe(IEnumerable<string> roots) => string.Join(", ", roots.Select(root => root + "*"));
}
