using System.Text.RegularExpressions;
using OptimizerGrpc.Client;
using OptimizerGrpc.Trading;

namespace OptimizerGrpc.Optimization;

/// <summary>Turns a run request over registered components into a study definition and its trial budget.</summary>
internal static partial class StudyPlanner
{
    public static (StudyDefinition Study, long? Budget) Plan(
        RunRequest request, IReadOnlyDictionary<string, IOptimizationTarget> targets, IReadOnlyDictionary<string, OptimizationMethod> methods,
        IReadOnlyDictionary<string, OptimizationMetric> metrics, IReadOnlyDictionary<string, OptimizationConstraint> constraints,
        OptimizationSequence sequence, PriceSeries series)
    {
        var builder = new StudyBuilder(request.DisplayName);
        var stages = new List<StagePlan>();
        var settings = new MetricSettingsPlan();
        int constraintCount = 0;
        long? budget = 0;
        long? combinedGrid = 1;
        foreach (var name in request.Targets)
        {
            var target = targets[name];
            var metricName = request.Metrics[name];
            if ((target is RegimeDetectorTarget) != (metrics[metricName] is RegimeClassificationAccuracyMetric))
            {
                throw new ArgumentException(target is RegimeDetectorTarget
                    ? $"target '{name}' is a regime detector: score it with RegimeClassificationAccuracyMetric (classification_accuracy), not '{metricName}'."
                    : $"metric '{metricName}' scores regime detectors, but target '{name}' is a {target.GetType().Name}.");
            }

            if (target is RegimeDetectorTarget && (request.Targets.Count > 1 || sequence is RegimeSpecificOptimization or WalkForwardOptimization))
            {
                throw new ArgumentException(
                    $"target '{name}' is a regime detector: search it in a run of its own with a single or sequential sequence, then pass it as the regime detector target of regime-specific runs.");
            }

            var space = target.GetParameterSpace();
            builder.Target(name, t => AddParameters(t, space), KindOf(target), target.GetMetadata().Description);
            foreach (var relationship in target.GetRelationships())
            {
                builder.Relationship(Qualify(relationship, name, space), $"{name}_valid_{++constraintCount}", name);
            }

            var method = methods[request.Methods[name]];
            var metric = metrics[request.Metrics[name]];
            metric.Configure(settings);
            var objective = metric.HigherIsBetter ? StudyObjective.Maximize(metric.ServerName) : StudyObjective.Minimize(metric.ServerName);
            stages.Add(new StagePlan(name, method.ToSearchMethod(), objective, method.MaxTrials));
            long? grid = space.Values.Aggregate((long?)1, (n, d) => n * d.GridSize);
            budget += method.Budget(grid);
            combinedGrid *= grid;

            foreach (var constraintName in request.Constraints.GetValueOrDefault(name, []))
            {
                constraints[constraintName].AddTo(builder, constraintName, name);
                constraintCount++;
            }
        }

        var studySequence = sequence.ToSequence(stages);
        var first = stages[0];
        if (sequence is SingleOptimization or RegimeSpecificOptimization or WalkForwardOptimization
            || (sequence is SequentialOptimization && stages.Count == 1))
        {
            // One search over every target at once: the budget is the method's over the product of the spaces.
            budget = methods[request.Methods[first.Target]].Budget(combinedGrid);
        }

        int[]? regimeLabels = null;
        IReadOnlyList<string>? regimeNames = null;
        if (sequence is RegimeSpecificOptimization regime)
        {
            var detector = regime.RegimeDetectorTarget is { } detectorName && targets.GetValueOrDefault(detectorName) is RegimeDetectorTarget d
                ? d.Detector
                : throw new ArgumentException("a regime-specific run needs a regime detector target (RunOptions.RegimeDetectorTarget, or regime_detector_target in the configuration).");
            regimeLabels = detector.Detect(series.Close);
            regimeNames = detector.RegimeNames;

            // One search per regime with enough bars; the others are skipped by the server. Bars labelled -1
            // (a detector's warm-up) belong to no regime.
            var searched = regimeLabels.Where(l => l >= 0).CountBy(l => l).Count(c => c.Value >= regime.MinRegimeData);
            budget *= searched;
        }
        else if (sequence is WalkForwardOptimization walk)
        {
            // One search per window plus the winner's out-of-sample validation trial.
            // Settings the server refuses (a step or window <= 0) leave the budget unknown; its message follows.
            var step = walk.StepBars ?? walk.OutOfSampleBars;
            budget = step <= 0 || walk.InSampleBars <= 0 || walk.OutOfSampleBars <= 0 ? null
                : series.Count < walk.InSampleBars + walk.OutOfSampleBars ? 0
                : (budget + 1) * (((series.Count - walk.InSampleBars - walk.OutOfSampleBars) / step) + 1);
        }

        builder.Data(series.Name, series.Count, regimeLabels, regimeNames)
            .Prices(series.Close)
            .MaxTrials(first.MaxTrials)
            .Method(first.Method)
            .Objective(first.Objective);
        settings.ApplyTo(builder);
        if (studySequence is not null)
        {
            builder.Sequence(studySequence);
        }

        return (builder.Build(), budget);
    }

    private static void AddParameters(TargetBuilder t, IReadOnlyDictionary<string, ParameterDomain> space)
    {
        foreach (var (key, domain) in space)
        {
            var wire = Names.ToWire(key);
            if (domain.Values is { } values)
            {
                t.Values(wire, [.. values.Select(v => domain.Kind == RuleParameterKind.Integer ? ParamValue.Of((long)v) : ParamValue.Of(v))]);
            }
            else if (domain.Kind == RuleParameterKind.Integer)
            {
                t.Int(wire, (long)domain.Low, (long)domain.High, (long)(domain.Step ?? 1), DefaultIn(domain) is { } d ? (long)d : null);
            }
            else
            {
                t.Float(wire, domain.Low, domain.High, domain.Step, DefaultIn(domain));
            }
        }
    }

    // A default outside its domain is not sent (the server would refuse the study); DefaultCheck warns about it.
    private static double? DefaultIn(ParameterDomain domain) => domain.Default is { } d && domain.Contains(d) ? d : null;

    // "ma.fast_window < ma.slow_window" over the target's names becomes "target.ma__fast_window < target.ma__slow_window".
    private static string Qualify(string expression, string target, IReadOnlyDictionary<string, ParameterDomain> space) =>
        ParameterName().Replace(expression, m => space.ContainsKey(m.Value) ? $"{target}.{Names.ToWire(m.Value)}" : m.Value);

    private static TargetCategory KindOf(IOptimizationTarget target) => target switch
    {
        RuleParametersTarget => TargetCategory.RuleParameters,
        RuleWeightsTarget => TargetCategory.RuleWeights,
        RegimeDetectorTarget => TargetCategory.RegimeDetector,
        PositionSizingTarget => TargetCategory.PositionSizing,
        _ => TargetCategory.Custom,
    };

    [GeneratedRegex(@"(?<![\w.])[A-Za-z_]\w*(\.[A-Za-z_]\w*)*")]
    private static partial Regex ParameterName();
}

/// <summary>A run after defaults are filled in: every target has a method, a metric and its constraint names.</summary>
internal sealed record RunRequest(
    string Sequence, IReadOnlyList<string> Targets, IReadOnlyDictionary<string, string> Methods, IReadOnlyDictionary<string, string> Metrics,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Constraints, string DisplayName);
