using System.Collections.Concurrent;
using OptimizerGrpc.Client;
using OptimizerGrpc.Trading;

namespace OptimizerGrpc.Optimization;

/// <summary>
/// Evaluates one trial: builds the strategy's positions from every registered target (rules, weights, sizing) with
/// the trial's values, and backtests them. Trials run concurrently (the worker's capacity), so the registered
/// targets are never changed here: each evaluation takes a <see cref="Strategy"/> (its own copies of the rules,
/// weights and invested fraction) from a pool, resets it to the run's starting values, applies the trial, and
/// returns it. Validation reads the registered targets, which stay fixed for the whole run.
/// </summary>
internal sealed class StrategyEvaluator
{
    private readonly IReadOnlyList<(string Name, IOptimizationTarget Target)> _runTargets;
    private readonly IReadOnlyList<NamedRule> _rules;
    private readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> _ruleStart;
    private readonly IReadOnlyDictionary<string, double> _weightStart;
    private readonly double _fractionStart;
    private readonly RegimeParameterBook _regimeParameters;
    private readonly IReadOnlyDictionary<string, IOptimizationTarget> _registered;
    private readonly ConcurrentBag<Strategy> _pool = [];
    private readonly PriceSeries _series;
    private readonly long[]? _times;
    private readonly Backtester _backtester;

    public StrategyEvaluator(
        IReadOnlyDictionary<string, IOptimizationTarget> registered, IReadOnlyList<string> runTargets, PriceSeries series, double commission,
        RegimeParameterBook regimeParameters)
    {
        _registered = registered;
        _runTargets = [.. runTargets.Select(n => (n, registered[n]))];
        if (_runTargets.FirstOrDefault(t => t.Target is not (RuleParametersTarget or RuleWeightsTarget or PositionSizingTarget)) is { Name: { } odd } other)
        {
            throw new ArgumentException(
                $"target '{odd}' ({other.Target.GetType().Name}) is not part of the backtested strategy; the manager backtests " +
                "RuleParametersTarget, RuleWeightsTarget and PositionSizingTarget, and scores a RegimeDetectorTarget with RegimeClassificationAccuracyMetric.");
        }

        _rules = [.. registered.Values.SelectMany(RulesOf).DistinctBy(r => r.Name)];
        if (_rules.Count == 0)
        {
            throw new InvalidOperationException("No trading rule is registered: register a RuleParametersTarget or RuleWeightsTarget to backtest.");
        }

        _ruleStart = _rules.ToDictionary(r => r.Name, r => r.Rule.GetParameters(), StringComparer.Ordinal);
        var weights = registered.Values.OfType<RuleWeightsTarget>().FirstOrDefault();
        _weightStart = _rules.ToDictionary(
            r => r.Name, r => weights?.Rules.Any(w => w.Name == r.Name) == true ? weights.WeightOf(r.Name) : 1.0, StringComparer.Ordinal);
        _fractionStart = registered.Values.OfType<PositionSizingTarget>().FirstOrDefault()?.Sizer.Fraction ?? 1.0;
        _regimeParameters = regimeParameters;
        _series = series;
        // Bar times let the server infer annualisation, but it rightly refuses times that do not increase (the NYSE
        // sample has such rows, reported as CSV issues); then none are sent and the metrics' factor applies.
        var times = series.TimesUnixMilliseconds();
        _times = times.Zip(times.Skip(1)).All(p => p.First < p.Second) ? times : null;
        _backtester = new Backtester(commission: commission);
    }

    public TrialOutcome Evaluate(TrialInfo trial)
    {
        var (start, end) = Slice(trial.DataContext);
        var assignments = new List<(IOptimizationTarget Target, IReadOnlyDictionary<string, double> Values)>();

        // A regime's winners from an earlier regime-specific run stay fixed for that regime (targets not searched now).
        if (trial.DataContext.Regime is { } regime)
        {
            foreach (var (name, values) in _regimeParameters.For(regime))
            {
                if (_runTargets.All(t => t.Name != name) && _registered.TryGetValue(name, out var target))
                {
                    assignments.Add((target, values));
                }
            }
        }

        foreach (var (name, target) in _runTargets)
        {
            var values = ValuesFor(trial, name);
            var (ok, error) = target.ValidateParameters(values);
            if (!ok)
            {
                return TrialOutcome.Infeasible($"{name}: {error}");  // refused, not failed: never evaluated again
            }

            assignments.Add((target, values));
        }

        var strategy = _pool.TryTake(out var pooled) ? pooled : new Strategy(_rules);
        try
        {
            strategy.Reset(_ruleStart, _weightStart, _fractionStart);
            foreach (var (target, values) in assignments)
            {
                strategy.Apply(target, values);
            }

            var close = _series.Close.AsSpan(start, end - start);
            var result = _backtester.Run(close, strategy.Positions(close));
            return TrialOutcome.FromBacktest(result, _times?[start..end], start);
        }
        finally
        {
            _pool.Add(strategy);
        }
    }

    /// <summary>The values of one target in a trial, by the target's own (spec) parameter names.</summary>
    internal static Dictionary<string, double> ValuesFor(TrialInfo trial, string target)
    {
        var prefix = target + ".";
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (key, value) in trial.Params)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                values[Names.FromWire(key[prefix.Length..])] = value.AsDouble();
            }
        }

        return values;
    }

    // Attribution contexts (regimes) backtest the whole series and the server scores the slice; a window is
    // backtested on its own bars.
    private (int Start, int End) Slice(DataContextInfo context) =>
        context.Kind == DataContextKind.Window && !context.EvaluateWholeSeries && context.Segments.Count == 1
            ? ((int)context.Segments[0].StartBar, (int)context.Segments[0].EndBar)
            : context.Kind == DataContextKind.Segments && !context.EvaluateWholeSeries
                ? throw new NotSupportedException("regime segments in segment mode; this client asks for attribution mode")
                : (0, _series.Count);

    internal static IEnumerable<NamedRule> RulesOf(IOptimizationTarget target) => target switch
    {
        RuleParametersTarget p => p.Rules,
        RuleWeightsTarget w => w.Rules,
        _ => [],
    };
}
