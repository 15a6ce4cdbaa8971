using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Server.Api.Mapping;

/// <summary>
/// Size limits of a new study's spec (docs/limits.md): every string and list a client sends is bounded, so no request
/// can make the server keep megabytes per study. Checked at CreateStudy only, before the spec is compiled; stored
/// studies are never refused at restart. Messages state the limit and the size, never the offending text.
/// </summary>
internal static class SpecLimits
{
    /// <summary>Display names and label values: 256 characters.</summary>
    public const int MaxTextLength = 256;

    /// <summary>Names (targets, parameters, metrics, constraints, stages, data, regimes) and label keys: 128 characters.</summary>
    public const int MaxNameLength = 128;

    /// <summary>Descriptions, metadata values and expressions: 4,096 characters.</summary>
    public const int MaxLongTextLength = 4096;

    /// <summary>Labels of a study and metadata entries of a target: 64 each.</summary>
    public const int MaxLabels = 64;

    /// <summary>Targets of a study: 64.</summary>
    public const int MaxTargets = 64;

    /// <summary>Parameters of a study, over all its targets: 1,024.</summary>
    public const int MaxParameters = 1024;

    /// <summary>Choices of a categorical parameter, values of a value list or of a constraint's allowed list: 10,000.</summary>
    public const int MaxChoices = 10_000;

    /// <summary>Objectives of a study or of a stage: 16.</summary>
    public const int MaxObjectives = 16;

    /// <summary>Constraints of a study: 256.</summary>
    public const int MaxConstraints = 256;

    /// <summary>Custom metrics and extra metrics: 256 each.</summary>
    public const int MaxMetrics = 256;

    /// <summary>Stages of a sequential or parallel sequence: 256; targets named by a stage: 64.</summary>
    public const int MaxStages = 256;

    /// <summary>Regime labels (one per bar): 1,000,000 (4 MB); regime names: 1,024.</summary>
    public const int MaxRegimeLabels = 1_000_000;

    /// <summary>Names of regimes: 1,024.</summary>
    public const int MaxRegimeNames = 1024;

    /// <summary>Throws INVALID_ARGUMENT (a field violation per problem) when the spec is over any limit.</summary>
    public static void Check(StudySpec spec, TimeSpan maxLeaseDuration)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var v = new SpecViolations();
        Text(v, "spec.display_name", spec.DisplayName, MaxTextLength);
        Count(v, "spec.labels", spec.Labels.Count, MaxLabels);
        foreach (var (key, value) in spec.Labels.Take(MaxLabels))
        {
            Text(v, "spec.labels", key, MaxNameLength, "a key");
            Text(v, "spec.labels", value, MaxTextLength, "a value");
        }

        Count(v, "spec.targets", spec.Targets.Count, MaxTargets);
        Count(v, "spec.targets[].parameters", spec.Targets.Sum(t => t.Parameters.Count), MaxParameters, "parameters over all targets");
        for (int t = 0; t < Math.Min(spec.Targets.Count, MaxTargets); t++)
        {
            Target(v, $"spec.targets[{t}]", spec.Targets[t]);
        }

        Objectives(v, "spec.objectives", spec.Objectives);
        Count(v, "spec.constraints", spec.Constraints.Count, MaxConstraints);
        for (int c = 0; c < Math.Min(spec.Constraints.Count, MaxConstraints); c++)
        {
            Constraint(v, $"spec.constraints[{c}]", spec.Constraints[c]);
        }

        if (spec.MetricSettings is { } metrics)
        {
            Count(v, "spec.metric_settings.custom_metrics", metrics.CustomMetrics.Count, MaxMetrics);
            for (int i = 0; i < Math.Min(metrics.CustomMetrics.Count, MaxMetrics); i++)
            {
                Text(v, $"spec.metric_settings.custom_metrics[{i}].name", metrics.CustomMetrics[i].Name, MaxNameLength);
                Text(v, $"spec.metric_settings.custom_metrics[{i}].expression", metrics.CustomMetrics[i].Expression, MaxLongTextLength);
            }

            Count(v, "spec.metric_settings.extra_metrics", metrics.ExtraMetrics.Count, MaxMetrics);
            Names(v, "spec.metric_settings.extra_metrics", metrics.ExtraMetrics.Take(MaxMetrics));
        }

        if (spec.Sequence is { } sequence)
        {
            Sequence(v, "spec.sequence", sequence);
        }

        if (spec.Data is { } data)
        {
            Text(v, "spec.data.name", data.Name, MaxNameLength);
            Count(v, "spec.data.regime_labels", data.RegimeLabels.Count, MaxRegimeLabels, "labels (one per bar)");
            Count(v, "spec.data.regime_names", data.RegimeNames.Count, MaxRegimeNames);
            Names(v, "spec.data.regime_names", data.RegimeNames.Take(MaxRegimeNames));
        }

        // Read without ToTimeSpan: a non-normalised Duration is refused by the wire checks, with its own message.
        double leaseSeconds = spec.LeaseDuration is { } lease ? lease.Seconds + (lease.Nanos / 1e9) : 0;
        if (leaseSeconds > maxLeaseDuration.TotalSeconds)
        {
            v.Add("spec.lease_duration", $"must be at most {maxLeaseDuration} (the server's limit), got {leaseSeconds.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} s");
        }

        v.ThrowIfAny("the study spec is over a size limit");
    }

    private static void Target(SpecViolations v, string path, Target target)
    {
        Text(v, path + ".name", target.Name, MaxNameLength);
        Text(v, path + ".description", target.Description, MaxLongTextLength);
        Count(v, path + ".metadata", target.Metadata.Count, MaxLabels);
        foreach (var (key, value) in target.Metadata.Take(MaxLabels))
        {
            Text(v, path + ".metadata", key, MaxNameLength, "a key");
            Text(v, path + ".metadata", value, MaxLongTextLength, "a value");
        }

        for (int p = 0; p < Math.Min(target.Parameters.Count, MaxParameters); p++)
        {
            var parameter = target.Parameters[p];
            string at = $"{path}.parameters[{p}]";
            Text(v, at + ".name", parameter.Name, MaxNameLength);
            Text(v, at + ".description", parameter.Description, MaxLongTextLength);
            if (parameter.Categorical is { } categorical)
            {
                Count(v, at + ".categorical.choices", categorical.Choices.Count, MaxChoices);
                Names(v, at + ".categorical.choices", categorical.Choices.Take(MaxChoices), MaxTextLength);
            }

            if (parameter.Values is { } values)
            {
                Count(v, at + ".values.values", values.Values.Count, MaxChoices);
                Names(v, at + ".values.values", values.Values.Take(MaxChoices).Where(x => x.KindCase == ParameterValue.KindOneofCase.StringValue).Select(x => x.StringValue), MaxTextLength);
            }

            if (parameter.DefaultValue is { KindCase: ParameterValue.KindOneofCase.StringValue } d)
            {
                Text(v, at + ".default_value", d.StringValue, MaxTextLength);
            }
        }
    }

    private static void Constraint(SpecViolations v, string path, Constraint constraint)
    {
        Text(v, path + ".name", constraint.Name, MaxNameLength);
        Text(v, path + ".target", constraint.Target, MaxNameLength);
        Text(v, path + ".parameter.parameter", constraint.Parameter?.Parameter ?? "", MaxNameLength);
        Count(v, path + ".parameter.allowed", constraint.Parameter?.Allowed.Count ?? 0, MaxChoices);
        Text(v, path + ".relationship.expression", constraint.Relationship?.Expression ?? "", MaxLongTextLength);
        Text(v, path + ".performance.expression", constraint.Performance?.Expression ?? "", MaxLongTextLength);
    }

    private static void Objectives(SpecViolations v, string path, Google.Protobuf.Collections.RepeatedField<Objective> objectives)
    {
        Count(v, path, objectives.Count, MaxObjectives);
        for (int i = 0; i < Math.Min(objectives.Count, MaxObjectives); i++)
        {
            Text(v, $"{path}[{i}].metric", objectives[i].Metric, MaxNameLength);
        }
    }

    private static void Sequence(SpecViolations v, string path, SequenceSpec sequence)
    {
        var stages = sequence.KindCase switch
        {
            SequenceSpec.KindOneofCase.Sequential => sequence.Sequential.Stages.Select((s, i) => ($"{path}.sequential.stages[{i}]", s)).ToList(),
            SequenceSpec.KindOneofCase.Parallel => sequence.Parallel.Stages.Select((s, i) => ($"{path}.parallel.stages[{i}]", s)).ToList(),
            SequenceSpec.KindOneofCase.Hierarchical => [($"{path}.hierarchical.outer", sequence.Hierarchical.Outer), ($"{path}.hierarchical.inner", sequence.Hierarchical.Inner)],
            SequenceSpec.KindOneofCase.RegimeSpecific => [($"{path}.regime_specific.stage", sequence.RegimeSpecific.Stage)],
            SequenceSpec.KindOneofCase.WalkForward => [($"{path}.walk_forward.stage", sequence.WalkForward.Stage)],
            _ => [],
        };
        Count(v, path + " stages", stages.Count, MaxStages);
        foreach (var (at, stage) in stages.Take(MaxStages).Where(s => s.Item2 is not null))
        {
            Text(v, at + ".name", stage.Name, MaxNameLength);
            Count(v, at + ".targets", stage.Targets.Count, MaxTargets);
            Names(v, at + ".targets", stage.Targets.Take(MaxTargets));
            Objectives(v, at + ".objectives", stage.Objectives);
        }

        if (sequence.RegimeSpecific is { } regime)
        {
            Text(v, path + ".regime_specific.regime_detector_target", regime.RegimeDetectorTarget, MaxNameLength);
        }
    }

    private static void Names(SpecViolations v, string path, IEnumerable<string> names, int max = MaxNameLength)
    {
        // Only the first name over the limit is reported, so a list of 10,000 long names makes one violation.
        int i = 0;
        foreach (string name in names)
        {
            if (name.Length > max)
            {
                Text(v, $"{path}[{i}]", name, max);
                return;
            }

            i++;
        }
    }

    private static void Text(SpecViolations v, string path, string text, int max, string what = "")
    {
        if (text.Length > max)
        {
            v.Add(path, $"{(what.Length == 0 ? "" : what + " ")}must be at most {max} characters, got {text.Length}");
        }
    }

    private static void Count(SpecViolations v, string path, int count, int max, string what = "entries")
    {
        if (count > max)
        {
            v.Add(path, $"at most {max} {what}, got {count}");
        }
    }
}
