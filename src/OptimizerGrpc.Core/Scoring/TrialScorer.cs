using System.Globalization;
using OptimizerGrpc.Core.Expressions;
using OptimizerGrpc.Core.Metrics;
using static OptimizerGrpc.Core.Studies.UserText;

namespace OptimizerGrpc.Core.Scoring;

/// <summary>A custom metric: a name and an expression over other metrics (<c>sharpe_ratio - 0.5 * max_drawdown</c>).</summary>
public sealed record CustomMetricDefinition(string Name, CompiledExpression Expression, bool HigherIsBetter);

/// <summary>A performance constraint over metrics, kept with its top-level clauses for precise reasons.</summary>
public sealed record PerformanceConstraintDefinition(string Name, CompiledExpression Expression, IReadOnlyList<CompiledExpression> Clauses);

/// <summary>What scoring decided: all values, and whether the trial is feasible.</summary>
public sealed record ScoringVerdict(IReadOnlyDictionary<string, double> Values, bool Feasible, string Reason)
{
    public bool Failed { get; init; }
}

/// <summary>
/// Turns a trial's outcome into values and a feasibility verdict: server metrics from the backtest record (when
/// there is one) merged with the client's values, then custom metrics in order, then performance constraints.
/// When a name is both computed by the server and reported by the client, the server's value is kept, so every
/// client gets the same numbers.
/// </summary>
public sealed class TrialScorer(
    MetricSettings settings,
    IReadOnlyCollection<string> serverMetrics,
    IReadOnlyList<CustomMetricDefinition> customMetrics,
    IReadOnlyList<PerformanceConstraintDefinition> constraints)
{
    /// <summary>How metrics are annualised and the risk-free rate.</summary>
    public MetricSettings Settings { get; } = settings;

    /// <summary>The catalog metrics computed for every record (objectives, extras, and names used by custom metrics and constraints).</summary>
    public IReadOnlyCollection<string> ServerMetrics { get; } = serverMetrics;

    /// <param name="segments">When set, only these bars are scored (attribution mode); otherwise the whole record.</param>
    public ScoringVerdict Score(IReadOnlyDictionary<string, double> clientValues, BacktestSeries? record, IReadOnlyList<(long Start, long End)>? segments = null)
    {
        var values = new Dictionary<string, double>(clientValues, StringComparer.Ordinal);
        if (record is not null)
        {
            MetricValues computed;
            try
            {
                computed = segments is null
                    ? MetricCalculator.Compute(record, Settings, ServerMetrics)
                    : MetricCalculator.ComputeOnBars(record, segments, Settings, ServerMetrics);
            }
            catch (MetricInputException ex)
            {
                return new ScoringVerdict(values, false, "invalid backtest record: " + ex.Message) { Failed = true };
            }

            foreach (var (name, value) in computed)
            {
                values[name] = value;
            }
        }

        foreach (var custom in customMetrics)
        {
            if (Missing(custom.Expression, values) is { } missing)
            {
                return new ScoringVerdict(values, false, $"custom metric {Quote(custom.Name)} needs {Quote(missing)}, which the outcome does not have") { Failed = true };
            }

            values[custom.Name] = custom.Expression.EvaluateNumber(AsExpressionValues(values));
        }

        foreach (var constraint in constraints)
        {
            if (Missing(constraint.Expression, values) is { } missing)
            {
                return new ScoringVerdict(values, false, $"performance constraint {Quote(constraint.Name)} needs {Quote(missing)}, which the outcome does not have") { Failed = true };
            }

            var scope = AsExpressionValues(values);
            foreach (var clause in constraint.Clauses)
            {
                if (!clause.EvaluateBool(scope))
                {
                    string actual = string.Join(", ", clause.Names.Select(n => string.Create(CultureInfo.InvariantCulture, $"{n} = {values[n]:G6}")));
                    return new ScoringVerdict(values, false, $"constraint {Quote(constraint.Name)} failed: {clause.Text} ({actual})");
                }
            }
        }

        return new ScoringVerdict(values, true, "");
    }

    private static string? Missing(CompiledExpression expression, Dictionary<string, double> values) =>
        expression.Names.FirstOrDefault(n => !values.ContainsKey(n));

    private static Dictionary<string, ExpressionValue> AsExpressionValues(Dictionary<string, double> values) =>
        values.ToDictionary(p => p.Key, p => ExpressionValue.Number(p.Value), StringComparer.Ordinal);
}
