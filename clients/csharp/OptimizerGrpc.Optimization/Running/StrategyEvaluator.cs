using OptimizerGrpc.Client;
using OptimizerGrpc.Trading;

namespace OptimizerGrpc.Optimization;

/// <summary>
/// Evaluates one trial: applies its values to the run's targets, builds the strategy's positions from every
/// registered target (rules, weights, sizing) and backtests them. Targets are stateful objects (the spec's
/// set_parameters), so application and backtest happen under one lock; the worker still keeps several trials in
/// flight, which overlaps the network with the evaluation.
/// </summary>
internal sealed class StrategyEvaluator
{
    private readonly Lock _gate = new();
    private readonly IReadOnlyList<(string Name, IOptimizationTarget Target)> _runTargets;
    private readonly IReadOnlyList<NamedRule> _rules;
    private readonly RuleWeightsTarget? _weights;
    private readonly PositionSizer? _sizer;
    private readonly PriceSeries _series;
    private readonly long[]? _times;
    private readonly Backtester _backtester;

    public StrategyEvaluator(
        IReadOnlyDictionary<string, IOptimizationTarget> registered, IReadOnlyList<string> runTargets, PriceSeries series, double commission)
    {
        _runTargets = [.. runTargets.Select(n => (n, registered[n]))];
        _rules = [.. registered.Values.SelectMany(RulesOf).DistinctBy(r => r.Name)];
        if (_rules.Count == 0)
        {
            throw new InvalidOperationException("No trading rule is registered: register a RuleParametersTarget or RuleWeightsTarget to backtest.");
        }

        _weights = registered.Values.OfType<RuleWeightsTarget>().FirstOrDefault();
        _sizer = registered.Values.OfType<PositionSizingTarget>().FirstOrDefault()?.Sizer;
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
        lock (_gate)
        {
            foreach (var (name, target) in _runTargets)
            {
                var values = ValuesFor(trial, name);
                var (ok, error) = target.ValidateParameters(values);
                if (!ok)
                {
                    return TrialOutcome.Failure($"{name}: {error}", nameof(ArgumentException));
                }

                target.SetParameters(values);
            }

            var close = _series.Close.AsSpan(start, end - start);
            var result = _backtester.Run(close, Positions(close));
            return TrialOutcome.FromBacktest(result, _times?[start..end], start);
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

    private double[] Positions(ReadOnlySpan<double> close)
    {
        var combined = new double[close.Length];
        var scratch = new double[close.Length];
        double totalWeight = 0;
        foreach (var (name, rule) in _rules)
        {
            var weight = _weights?.Rules.Any(r => r.Name == name) == true ? _weights.WeightOf(name) : 1.0;
            if (weight == 0)
            {
                continue;
            }

            rule.ComputePositions(close, scratch);
            for (var t = 0; t < combined.Length; t++)
            {
                combined[t] += weight * scratch[t];
            }

            totalWeight += weight;
        }

        if (totalWeight > 0)
        {
            for (var t = 0; t < combined.Length; t++)
            {
                combined[t] /= totalWeight;
            }
        }

        _sizer?.Apply(combined);
        return combined;
    }

    // Attribution contexts (regimes) backtest the whole series and the server scores the slice; a window is
    // backtested on its own bars.
    private (int Start, int End) Slice(DataContextInfo context) =>
        context.Kind == DataContextKind.Window && !context.EvaluateWholeSeries && context.Segments.Count == 1
            ? ((int)context.Segments[0].StartBar, (int)context.Segments[0].EndBar)
            : context.Kind == DataContextKind.Segments && !context.EvaluateWholeSeries
                ? throw new NotSupportedException("regime segments in segment mode; this client asks for attribution mode")
                : (0, _series.Count);

    private static IEnumerable<NamedRule> RulesOf(IOptimizationTarget target) => target switch
    {
        RuleParametersTarget p => p.Rules,
        RuleWeightsTarget w => w.Rules,
        _ => [],
    };
}
