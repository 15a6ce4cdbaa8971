using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Core.Expressions;
using OptimizerGrpc.Core.Methods.Grid;
using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Metrics;
using OptimizerGrpc.Core.Scoring;
using OptimizerGrpc.Core.Studies;
using CoreMetricSettings = OptimizerGrpc.Core.Metrics.MetricSettings;
using static OptimizerGrpc.Core.Studies.UserText;

namespace OptimizerGrpc.Server.Api.Mapping;

/// <summary>A spec's objectives, server metrics, custom metrics and performance constraints as the study's scorer.</summary>
internal static class ScoringMapper
{
    public static (ObjectiveDefinition[] Objectives, double[]? Weights, TrialScorer Scorer) Compile(StudySpec spec, MethodSettings method)
    {
        var v = new SpecViolations();
        var settings = spec.MetricSettings ?? new Contracts.V1.MetricSettings();
        if (!double.IsFinite(settings.RiskFreeRate) || settings.RiskFreeRate <= -1)
        {
            v.Add("spec.metric_settings.risk_free_rate", $"must be a finite annual rate > -1, got {settings.RiskFreeRate}");
        }

        if (settings.HasAnnualizationFactor && !(double.IsFinite(settings.AnnualizationFactor) && settings.AnnualizationFactor > 0))
        {
            v.Add("spec.metric_settings.annualization_factor", $"must be a finite number > 0 (periods per year), got {settings.AnnualizationFactor}");
        }

        var customs = new List<CustomMetricDefinition>();
        var customNames = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < settings.CustomMetrics.Count; i++)
        {
            var c = settings.CustomMetrics[i];
            string path = $"spec.metric_settings.custom_metrics[{i}]";
            if (!SpaceMapper.IdentifierPattern().IsMatch(c.Name) || MetricCatalog.TryGet(c.Name, out _) || !customNames.Add(c.Name))
            {
                v.Add(path + ".name", $"{Quote(c.Name)} must be a new name of letters, digits and '_' (not a built-in metric, not repeated)");
                continue;
            }

            if (Parse(c.Expression, $"custom metric {Quote(c.Name)}", path + ".expression", v) is { } expression)
            {
                customs.Add(new CustomMetricDefinition(c.Name, expression, c.Direction != Direction.Minimize));
            }
        }

        var performance = new List<PerformanceConstraintDefinition>();
        for (int i = 0; i < spec.Constraints.Count; i++)
        {
            var c = spec.Constraints[i];
            if (c.KindCase != Constraint.KindOneofCase.Performance)
            {
                continue;
            }

            string name = string.IsNullOrEmpty(c.Name) ? $"constraint {i}" : c.Name;
            string path = $"spec.constraints[{i}].performance.expression";
            if (Parse(c.Performance.Expression, $"constraint {Quote(name)}", path, v) is not { } whole)
            {
                continue;
            }

            var clauses = ClauseSplitter.Split(whole.Text).Select(CompiledExpression.Parse).ToArray();
            performance.Add(new PerformanceConstraintDefinition(name, whole, clauses));
        }

        var objectives = new ObjectiveDefinition[spec.Objectives.Count];
        for (int i = 0; i < objectives.Length; i++)
        {
            var o = spec.Objectives[i];
            bool maximize = o.Direction switch
            {
                Direction.Maximize => true,
                Direction.Minimize => false,
                // Unspecified: the metric's own sense (max_drawdown is minimised), else maximise.
                _ => MetricCatalog.TryGet(o.Metric, out var known) ? known.HigherIsBetter
                    : customs.FirstOrDefault(c => c.Name == o.Metric)?.HigherIsBetter ?? true,
            };
            objectives[i] = new ObjectiveDefinition(o.Metric, maximize);
            if (o.HasWeight && !(double.IsFinite(o.Weight) && o.Weight >= 0))
            {
                v.Add($"spec.objectives[{i}].weight", $"must be a finite number >= 0, got {o.Weight}");
            }
        }

        double[]? weights = spec.Objectives.Any(o => o.HasWeight) ? spec.Objectives.Select(o => o.HasWeight ? o.Weight : 1.0).ToArray() : null;
        if (objectives.Length > 1 && weights is null && method is not (GridSettings or RandomSettings or Core.Methods.MultiObjective.Nsga2Settings))
        {
            v.Add("spec.objectives", $"{method.GetType().Name.Replace("Settings", "", StringComparison.Ordinal)} searches one objective: give the objectives weights (weighted-sum scalarisation) or use grid, random or nsga2");
        }

        v.ThrowIfAny("invalid metrics or objectives");

        // Catalog metrics the server computes from a record: every name the study mentions that the catalog knows.
        var mentioned = spec.Objectives.Select(o => o.Metric)
            .Concat(settings.ExtraMetrics)
            .Concat(customs.SelectMany(c => c.Expression.Names))
            .Concat(performance.SelectMany(p => p.Expression.Names))
            // Walk-forward reports in- and out-of-sample returns per window.
            .Concat(spec.Sequence?.KindCase == SequenceSpec.KindOneofCase.WalkForward ? ["total_return", "annualized_return"] : []);
        var server = mentioned.Where(n => MetricCatalog.TryGet(n, out _)).Distinct(StringComparer.Ordinal).ToArray();
        var coreSettings = new CoreMetricSettings(settings.RiskFreeRate, settings.HasAnnualizationFactor ? settings.AnnualizationFactor : null);
        return (objectives, weights, new TrialScorer(coreSettings, server, customs, performance));
    }

    private static CompiledExpression? Parse(string text, string what, string field, SpecViolations v)
    {
        try
        {
            return CompiledExpression.Parse(text);
        }
        catch (ExpressionException ex)
        {
            v.Add(field, $"{what}: {ex.Message}");
            return null;
        }
    }
}
