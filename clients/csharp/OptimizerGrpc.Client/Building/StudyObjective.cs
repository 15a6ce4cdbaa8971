namespace OptimizerGrpc.Client;

/// <summary>One metric a search optimises, e.g. <c>StudyObjective.Maximize("sharpe_ratio")</c>.</summary>
/// <param name="Metric">A server metric ("sharpe_ratio"), a custom metric, or a client-computed value.</param>
/// <param name="Direction">Maximise or minimise; <see cref="ObjectiveDirection.Default"/> takes the metric's own.</param>
/// <param name="Weight">Weight in the weighted sum of several objectives; null means 1.</param>
public sealed record StudyObjective(string Metric, ObjectiveDirection Direction = ObjectiveDirection.Default, double? Weight = null)
{
    /// <summary>An objective to maximise.</summary>
    public static StudyObjective Maximize(string metric, double? weight = null) => new(metric, ObjectiveDirection.Maximize, weight);

    /// <summary>An objective to minimise.</summary>
    public static StudyObjective Minimize(string metric, double? weight = null) => new(metric, ObjectiveDirection.Minimize, weight);
}
