using System.Globalization;

namespace OptimizerGrpc.Optimization;

/// <summary>
/// A target's current value of a parameter is its default: what a stage that does not search the parameter uses. One
/// outside the parameter's domain cannot be used, so the server takes the middle of the domain instead; this says so
/// (one warning per parameter) rather than letting it happen silently.
/// </summary>
internal static class DefaultCheck
{
    public static IReadOnlyList<string> Warnings(IReadOnlyList<string> targetNames, IReadOnlyDictionary<string, IOptimizationTarget> targets)
    {
        var warnings = new List<string>();
        foreach (var name in targetNames)
        {
            var current = targets[name].GetParameters();
            foreach (var (parameter, domain) in targets[name].GetParameterSpace())
            {
                if (current.TryGetValue(parameter, out double value) && !domain.Contains(value))
                {
                    warnings.Add($"target '{name}': the default {parameter} = {value.ToString(CultureInfo.InvariantCulture)} is not a value of its domain " +
                                 $"{domain}; stages that do not search it use the middle of the domain instead");
                }
            }
        }

        return warnings;
    }
}
