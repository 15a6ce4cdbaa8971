namespace OptimizerGrpc.Optimization;

/// <summary>What <c>optimizer run</c> performs: the arguments of <see cref="OptimizationManager.RunOptimizationAsync"/>.</summary>
/// <param name="Sequence">The sequence name.</param>
/// <param name="Targets">The targets searched.</param>
/// <param name="Methods">Method name by target.</param>
/// <param name="Metrics">Metric name by target.</param>
/// <param name="Constraints">Constraint names by target.</param>
/// <param name="Commission">Backtest cost per unit of position change (fraction of equity).</param>
/// <param name="RegimeDetectorTarget">The target whose detector labels the regimes of a regime-specific sequence.</param>
public sealed record RunPlan(
    string Sequence, IReadOnlyList<string> Targets, IReadOnlyDictionary<string, string> Methods, IReadOnlyDictionary<string, string> Metrics,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Constraints, double Commission, string? RegimeDetectorTarget)
{
    internal static RunPlan From<TT, TM, TR, TS, TC>(
        ConfigNode? run, ConfigNode optimization, List<KeyValuePair<string, TT>> targets, List<KeyValuePair<string, TM>> methods,
        List<KeyValuePair<string, TR>> metrics, List<KeyValuePair<string, TS>> sequences, List<KeyValuePair<string, TC>> constraints)
    {
        var p = new ConfigParameters(run ?? optimization, run);
        var sequence = p.Node("sequence") is { } s ? Known(s, sequences, "sequence") : sequences[0].Key;
        var targetNames = p.Node("targets") is { } t
            ? [.. t.AsList().Select(n => Known(n, targets, "target"))]
            : targets.Where(x => x.Value is not Optimization.RegimeDetectorTarget).Select(x => x.Key).ToList();
        var methodOf = Assignments(p.Node("methods"), targets, methods, "method");
        var metricOf = Assignments(p.Node("metrics"), targets, metrics, "metric");
        var constraintsOf = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (target, list) in p.Node("constraints")?.AsMap() ?? [])
        {
            constraintsOf[Known(list, targets, "target", target)] = [.. list.AsList().Select(c => Known(c, constraints, "constraint"))];
        }

        var commission = p.Double("commission") ?? 0;
        var detector = p.Node("regime_detector_target") is { } d ? Known(d, targets, "target") : null;
        p.Done("run");
        return new RunPlan(sequence, targetNames, methodOf, metricOf, constraintsOf, commission, detector);
    }

    private static Dictionary<string, string> Assignments<TT, TX>(
        ConfigNode? node, List<KeyValuePair<string, TT>> targets, List<KeyValuePair<string, TX>> components, string what)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (target, value) in node?.AsMap() ?? [])
        {
            result[Known(value, targets, "target", target)] = Known(value, components, what);
        }

        return result;
    }

    private static string Known<T>(ConfigNode node, List<KeyValuePair<string, T>> registry, string what, string? name = null)
    {
        name ??= node.AsString();
        return registry.Any(e => e.Key == name)
            ? name
            : throw node.Error($"unknown {what} '{name}'; defined: {string.Join(", ", registry.Select(e => e.Key))}");
    }
}
