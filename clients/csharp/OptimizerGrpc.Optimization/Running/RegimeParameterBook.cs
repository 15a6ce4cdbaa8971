using System.Collections.Concurrent;

namespace OptimizerGrpc.Optimization;

/// <summary>
/// The winners of regime-specific runs, by regime and target: a later regime-specific run evaluates each regime's
/// trials with that regime's winners of the targets it does not search (the spec's multi-stage workflow: rule
/// weights per regime on top of the rule parameters found for that regime).
/// </summary>
internal sealed class RegimeParameterBook
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, IReadOnlyDictionary<string, double>>> _byRegime =
        new(StringComparer.Ordinal);

    public void Record(OptimizationResult result)
    {
        foreach (var (regime, regimeResult) in result.RegimeResults)
        {
            foreach (var (target, best) in regimeResult.TargetResults)
            {
                if (!regimeResult.Skipped && best.BestParams.Count > 0)
                {
                    _byRegime.GetOrAdd(regime, _ => new(StringComparer.Ordinal))[target] = best.BestParams;
                }
            }
        }
    }

    /// <summary>The recorded winners for <paramref name="regime"/> by target; empty when none.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> For(string regime) =>
        _byRegime.TryGetValue(regime, out var targets) ? targets : Empty;

    private static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Empty =
        new Dictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.Ordinal);
}
