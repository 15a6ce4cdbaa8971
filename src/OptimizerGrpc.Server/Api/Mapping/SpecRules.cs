using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Core.Expressions;
using OptimizerGrpc.Core.Metrics;
using OptimizerGrpc.Core.Sequences;
using OptimizerGrpc.Core.Studies;
using static OptimizerGrpc.Core.Studies.UserText;

namespace OptimizerGrpc.Server.Api.Mapping;

/// <summary>
/// The rules a new spec must meet across its parts, beyond what each mapper checks of its own part: NSGA-II needs two objectives or more, performance constraints speak of metrics the
/// study knows (not of parameters), custom metrics use only metrics declared before them, a bar interval is positive.
/// Checked at creation only (<see cref="StudySpecMapper.Compile(StudySpec)"/>): a study stored before a rule existed
/// still loads.
/// </summary>
internal static class SpecRules
{
    public static void Check(StudySpec spec, SpecViolations v)
    {
        CheckNsga2(spec.Method, spec.Objectives.Count, "spec.method.nsga2", v);
        foreach (var (stage, path) in Stages(spec.Sequence))
        {
            if (path.StartsWith(HierarchicalPlanner.Path, StringComparison.Ordinal))
            {
                // The hierarchical planner refuses NSGA-II at either level, with its own reason.
                continue;
            }

            var method = stage.Method ?? spec.Method;
            int objectives = stage.Objectives.Count > 0 ? stage.Objectives.Count : spec.Objectives.Count;
            CheckNsga2(method, objectives, stage.Method is null ? path + ".objectives" : path + ".method.nsga2", v);
        }

        CheckMetricReferences(spec, v);
        if (spec.Data?.BarInterval is { } interval && interval.Seconds == 0 && interval.Nanos == 0)
        {
            v.Add("spec.data.bar_interval", "must be > 0 when set");
        }
    }

    private static void CheckNsga2(MethodSpec? method, int objectives, string field, SpecViolations v)
    {
        if (method?.KindCase == MethodSpec.KindOneofCase.Nsga2 && objectives < 2)
        {
            v.Add(field, $"NSGA-II is the multi-objective method and needs at least 2 objectives, got {objectives}; use genetic for one objective");
        }
    }

    // Custom metrics may use catalog metrics, client values and custom metrics declared before them (they are computed
    // in declaration order, so a later or its own name would be missing: a cycle). Performance constraints may use any
    // metric the study knows of; a parameter is not a metric.
    private static void CheckMetricReferences(StudySpec spec, SpecViolations v)
    {
        var parameters = new HashSet<string>(
            spec.Targets.SelectMany(t => t.Parameters.Select(p => t.Name + "." + p.Name)), StringComparer.Ordinal);
        var customs = spec.MetricSettings?.CustomMetrics ?? [];
        var customNames = customs.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var known = new HashSet<string>(StringComparer.Ordinal);
        known.UnionWith(spec.Objectives.Select(o => o.Metric));
        known.UnionWith(spec.MetricSettings?.ExtraMetrics ?? []);
        known.UnionWith(customNames);
        known.UnionWith(Stages(spec.Sequence).SelectMany(s => s.Stage.Objectives.Select(o => o.Metric)));

        var declared = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < customs.Count; i++)
        {
            string path = $"spec.metric_settings.custom_metrics[{i}].expression";
            foreach (string name in NamesOf(customs[i].Expression))
            {
                if (name == customs[i].Name || (customNames.Contains(name) && !declared.Contains(name)))
                {
                    v.Add(path, $"custom metric {Quote(customs[i].Name)} uses {Quote(name)}, which is not declared before it (custom metrics are computed in order, so this is a cycle)");
                }
                else if (parameters.Contains(name))
                {
                    v.Add(path, $"{Quote(name)} is a parameter, not a metric");
                }
            }

            declared.Add(customs[i].Name);
        }

        for (int i = 0; i < spec.Constraints.Count; i++)
        {
            if (spec.Constraints[i].KindCase != Constraint.KindOneofCase.Performance)
            {
                continue;
            }

            string path = $"spec.constraints[{i}].performance.expression";
            foreach (string name in NamesOf(spec.Constraints[i].Performance.Expression))
            {
                if (parameters.Contains(name))
                {
                    v.Add(path, $"{Quote(name)} is a parameter; constrain parameters with a relationship or parameter constraint (checked before a trial), performance constraints with metrics");
                }
                else if (!known.Contains(name) && !MetricCatalog.TryGet(name, out _))
                {
                    v.Add(path, $"unknown metric {Quote(name)}: use a server metric, a custom metric, an objective, or list a client-computed value in metric_settings.extra_metrics");
                }
            }
        }
    }

    // A malformed expression is reported by the scoring mapper; here it simply names nothing.
    private static IReadOnlyList<string> NamesOf(string expression)
    {
        try
        {
            return CompiledExpression.Parse(expression).Names;
        }
        catch (ExpressionException)
        {
            return [];
        }
    }

    private static IEnumerable<(StageSpec Stage, string Path)> Stages(SequenceSpec? sequence)
    {
        switch (sequence?.KindCase)
        {
            case SequenceSpec.KindOneofCase.Sequential:
                return sequence.Sequential.Stages.Select((s, i) => (s, $"{SequentialPlanner.Path}[{i}]"));
            case SequenceSpec.KindOneofCase.Parallel:
                return sequence.Parallel.Stages.Select((s, i) => (s, $"{ParallelPlanner.Path}[{i}]"));
            case SequenceSpec.KindOneofCase.Hierarchical:
                return new[] { (sequence.Hierarchical.Outer, HierarchicalPlanner.Path + ".outer"), (sequence.Hierarchical.Inner, HierarchicalPlanner.Path + ".inner") }
                    .Where(x => x.Item1 is not null)!;
            case SequenceSpec.KindOneofCase.RegimeSpecific when sequence.RegimeSpecific.Stage is { } stage:
                return [(stage, RegimePlanner.Path + ".stage")];
            case SequenceSpec.KindOneofCase.WalkForward when sequence.WalkForward.Stage is { } stage:
                return [(stage, WalkForwardPlanner.Path + ".stage")];
            default:
                return [];
        }
    }
}
