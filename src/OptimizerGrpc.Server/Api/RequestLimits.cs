namespace OptimizerGrpc.Server.Api;

/// <summary>Size limits of request fields outside the study spec (docs/limits.md; the spec's are in <c>Mapping/SpecLimits</c>).</summary>
internal static class RequestLimits
{
    /// <summary>Worker ids: 256 characters (every leased trial keeps its worker's id).</summary>
    public const int MaxWorkerIdLength = 256;

    public static void CheckWorkerId(string workerId, string field)
    {
        if (workerId.Length > MaxWorkerIdLength)
        {
            throw FieldViolations.Single(field, $"must be at most {MaxWorkerIdLength} characters, got {workerId.Length}");
        }
    }
}
