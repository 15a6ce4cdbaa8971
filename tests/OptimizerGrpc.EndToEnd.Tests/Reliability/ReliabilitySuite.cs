namespace OptimizerGrpc.EndToEnd.Tests.Reliability;

/// <summary>
/// The reliability suite runs alone, one test at a time, after the parallel tests: its timings (lease hand-over, RSS
/// growth under 64 workers) mean something only when it does not share the machine's cores with other servers.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReliabilitySuite
{
    public const string Name = "reliability";
}
