namespace OptimizerGrpc.Cli;

/// <summary><c>optimizer demo</c>: an embedded server and a real grid search on the NYSE series.</summary>
internal static class DemoCommand
{
    public static Task<int> RunAsync(Options options, CancellationToken ct) =>
        throw new UsageException("demo is being wired to the C# client");
}
