using System.Reflection;
using ArchUnitNET.Loader;
using ArchModel = ArchUnitNET.Domain.Architecture;

namespace OptimizerGrpc.Architecture.Tests;

/// <summary>
/// The product assemblies the rules inspect, loaded once. The server is every OptimizerGrpc.Server*.dll beside
/// the tests, so the rules keep working if the server is split into several projects (they are copied here
/// through the server's project reference); the rules select types by namespace, not by assembly.
/// </summary>
internal static class ProductAssemblies
{
    public static Assembly Core { get; } = Assembly.Load("OptimizerGrpc.Core");

    public static Assembly Client { get; } = Assembly.Load("OptimizerGrpc.Client");

    public static IReadOnlyList<Assembly> Server { get; } = LoadServer();

    private static readonly Lazy<ArchModel> s_architecture = new(() =>
        new ArchLoader().LoadAssemblies([Core, Client, .. Server]).Build());

    /// <summary>ArchUnitNET's model of Core, the server and the C# client (their dependencies read from IL).</summary>
    public static ArchModel Architecture => s_architecture.Value;

    private static List<Assembly> LoadServer()
    {
        var assemblies = Directory
            .EnumerateFiles(AppContext.BaseDirectory, "OptimizerGrpc.Server*.dll")
            .Select(path => Assembly.Load(AssemblyName.GetAssemblyName(path)))
            .OrderBy(assembly => assembly.GetName().Name, StringComparer.Ordinal)
            .ToList();
        if (assemblies.Count == 0)
        {
            throw new InvalidOperationException($"No OptimizerGrpc.Server*.dll in {AppContext.BaseDirectory}.");
        }

        return assemblies;
    }
}
