using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Metrics;
using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Server.Engine;

namespace OptimizerGrpc.Server.Services;

/// <summary>Plans a study's stages from its sequence (the spec's OptimizationSequence, as stages the server runs).</summary>
internal static partial class StudySpecCompiler
{
    public const int DefaultMinRegimeData = 100;

    private static List<StageDefinition> CompileStages(
        StudySpec spec, SearchSpace space, MethodSettings studyMethod, ObjectiveDefinition[] studyObjectives, double[]? studyWeights)
    {
        var v = new FieldViolations();
        var seq = spec.Sequence ?? new SequenceSpec { Single = new SingleSequence() };
        var whole = new DataContext { Whole = new WholeSeries(), Label = "whole series" };
        var allTargets = spec.Targets.Select(t => t.Name).ToArray();
        var stages = new List<StageDefinition>();
        switch (seq.KindCase)
        {
            case SequenceSpec.KindOneofCase.Sequential:
            case SequenceSpec.KindOneofCase.Parallel:
                {
                    bool sequential = seq.KindCase == SequenceSpec.KindOneofCase.Sequential;
                    var stageSpecs = sequential ? seq.Sequential.Stages : seq.Parallel.Stages;
                    string path = sequential ? "spec.sequence.sequential.stages" : "spec.sequence.parallel.stages";
                    if (stageSpecs.Count == 0)
                    {
                        // The spec's SequentialOptimization over targets [a, b]: one stage per target, in order.
                        stageSpecs = [.. allTargets.Select(t => new StageSpec { Name = t, Targets = { t } })];
                    }

                    for (int i = 0; i < stageSpecs.Count; i++)
                    {
                        var stage = Stage(i, stageSpecs[i], $"{path}[{i}]", whole, space, spec, studyMethod, studyObjectives, studyWeights, v);
                        if (stage is not null)
                        {
                            stages.Add(sequential ? stage with { After = [.. Enumerable.Range(0, i)] } : stage);
                        }
                    }

                    if (!sequential)
                    {
                        var seen = new HashSet<string>(StringComparer.Ordinal);
                        for (int i = 0; i < stageSpecs.Count; i++)
                        {
                            if (stageSpecs[i].Targets.Any(t => !seen.Add(t)))
                            {
                                v.Add($"{path}[{i}].targets", "parallel stages must search disjoint targets (they run at once and their winners are combined)");
                            }
                        }
                    }

                    break;
                }

            case SequenceSpec.KindOneofCase.WalkForward:
                stages.AddRange(WalkForwardStages(seq.WalkForward, space, spec, studyMethod, studyObjectives, studyWeights, v));
                break;
            case SequenceSpec.KindOneofCase.Hierarchical:
                if (HierarchicalStage(seq.Hierarchical, space, spec, studyMethod, studyObjectives, studyWeights, v) is { } nested)
                {
                    stages.Add(nested);
                }

                break;
            case SequenceSpec.KindOneofCase.RegimeSpecific:
                stages.AddRange(RegimeStages(seq.RegimeSpecific, space, spec, studyMethod, studyObjectives, studyWeights, v));
                break;
            default:
                stages.Add(Stage(0, new StageSpec { Name = "main", Targets = { allTargets } }, "spec", whole, space, spec, studyMethod, studyObjectives, studyWeights, v)!);
                break;
        }

        v.ThrowIfAny("invalid sequence");
        return stages;
    }

    /// <summary>
    /// The hierarchical sequence as one stage over the outer and inner targets together, searched by
    /// <see cref="HierarchicalSearch"/>: each outer candidate is scored by the winner of its own inner search.
    /// Budgets: the outer stage's max_trials counts outer candidates, the inner stage's counts trials per candidate.
    /// </summary>
    private static StageDefinition? HierarchicalStage(
        HierarchicalSequence seq, SearchSpace space, StudySpec spec, MethodSettings studyMethod, ObjectiveDefinition[] objectives, double[]? weights, FieldViolations v)
    {
        const string path = "spec.sequence.hierarchical";
        var whole = new DataContext { Whole = new WholeSeries(), Label = "whole series" };
        if (seq.Outer is null || seq.Outer.Targets.Count == 0)
        {
            v.Add(path + ".outer.targets", "name the outer targets (every outer candidate is scored by an inner optimisation)");
        }

        if (seq.Inner is null || seq.Inner.Targets.Count == 0)
        {
            v.Add(path + ".inner.targets", "name the inner targets (optimised for each outer candidate)");
        }

        if (v.Any)
        {
            return null;
        }

        if (seq.Outer!.Targets.Intersect(seq.Inner!.Targets, StringComparer.Ordinal).FirstOrDefault() is { } shared)
        {
            v.Add(path + ".inner.targets", $"target '{shared}' is both outer and inner; the levels must search disjoint targets");
        }

        var outer = Stage(0, seq.Outer, path + ".outer", whole, space, spec, studyMethod, objectives, weights, v);
        var inner = Stage(0, seq.Inner, path + ".inner", whole, space, spec, studyMethod, objectives, weights, v);
        if (outer is null || inner is null || v.Any)
        {
            return null;
        }

        // Outer candidates are scored by their inner winner, so outer objectives may only restate the inner ones.
        if (seq.Outer.Objectives.Count > 0 && !outer.Objectives.SequenceEqual(inner.Objectives))
        {
            v.Add(path + ".outer.objectives", "outer candidates are scored by their inner winner; leave the outer objectives empty or equal to the inner ones");
        }

        if (inner.Objectives.Count > 1 && inner.Weights is null)
        {
            v.Add(path + ".inner.objectives", "a hierarchical study ranks inner trials by one number: use one objective, or give the objectives weights");
        }

        foreach (var (level, method) in new[] { ("outer", outer.Method), ("inner", inner.Method) })
        {
            if (method is Core.Methods.MultiObjective.Nsga2Settings)
            {
                v.Add($"{path}.{level}.method", "NSGA-II returns a front, not one winner; use it in a single-stage study");
            }
        }

        if (v.Any)
        {
            return null;
        }

        int[] free = [.. outer.FreeIndices.Concat(inner.FreeIndices).Order()];
        int[] outerPositions = [.. outer.FreeIndices.Select(i => Array.IndexOf(free, i))];
        var settings = new HierarchicalSettings(outer.Method, outer.MaxTrials, outerPositions, inner.Method, inner.MaxTrials);
        string outerName = string.IsNullOrEmpty(seq.Outer.Name) ? string.Join("+", seq.Outer.Targets) : seq.Outer.Name;
        string innerName = string.IsNullOrEmpty(seq.Inner.Name) ? string.Join("+", seq.Inner.Targets) : seq.Inner.Name;
        return new StageDefinition(
            0,
            $"{outerName} over {innerName}",
            [.. seq.Outer.Targets, .. seq.Inner.Targets],
            free,
            new SearchSpace([.. free.Select(i => space.Parameters[i])]),
            settings,
            (spec.Method?.Seed ?? 0) ^ 0xB11E7E1UL,
            inner.Objectives,
            inner.Weights,
            0,
            whole)
        {
            Hierarchy = new HierarchyPlan([.. seq.Outer.Targets], [.. seq.Inner.Targets], outer.FreeIndices, outer.MaxTrials, inner.MaxTrials),
            PlannedTrials = outer.PlannedTrials * inner.PlannedTrials,
        };
    }

    private static IEnumerable<StageDefinition> RegimeStages(
        RegimeSpecificSequence seq, SearchSpace space, StudySpec spec, MethodSettings studyMethod, ObjectiveDefinition[] objectives, double[]? weights, FieldViolations v)
    {
        const string path = "spec.sequence.regime_specific";
        var data = spec.Data;
        if (data is null || data.RegimeLabels.Count == 0)
        {
            v.Add("spec.data.regime_labels", "a regime-specific study needs one regime label per bar (from the client's regime detector)");
            yield break;
        }

        if (data.RegimeNames.Count == 0)
        {
            v.Add("spec.data.regime_names", "name each regime label (label i is regime_names[i])");
            yield break;
        }

        int bad = data.RegimeLabels.ToList().FindIndex(l => l < -1 || l >= data.RegimeNames.Count);
        if (bad >= 0)
        {
            v.Add($"spec.data.regime_labels[{bad}]", $"label {data.RegimeLabels[bad]} is not an index into regime_names (0..{data.RegimeNames.Count - 1}) or -1 (no regime)");
            yield break;
        }

        int minBars = seq.HasMinRegimeData ? seq.MinRegimeData : DefaultMinRegimeData;
        if (minBars < 1)
        {
            v.Add(path + ".min_regime_data", $"must be >= 1, got {minBars}");
            yield break;
        }

        // The detector that produced the labels is not searched per regime: its parameters stay at the values given as
        // their defaults (the detector's settings that labelled the bars, e.g. the winner of a detector study).
        string detector = seq.RegimeDetectorTarget;
        if (detector.Length > 0 && spec.Targets.All(t => t.Name != detector))
        {
            v.Add(path + ".regime_detector_target", $"unknown target '{detector}'");
            yield break;
        }

        var stageSpec = seq.Stage ?? new StageSpec();
        if (stageSpec.Targets.Count == 0)
        {
            stageSpec = stageSpec.Clone();
            stageSpec.Targets.AddRange(spec.Targets.Select(t => t.Name).Where(t => t != detector));
        }
        else if (stageSpec.Targets.Contains(detector))
        {
            v.Add(path + ".stage.targets", $"'{detector}' is the regime detector that labelled the bars; it cannot also be searched per regime");
            yield break;
        }

        bool attribution = seq.Mode == EvaluationMode.Attribution;
        var segmentsByRegime = RegimeSegmentsOf(data.RegimeLabels, data.RegimeNames.Count);
        for (int r = 0; r < data.RegimeNames.Count; r++)
        {
            string regime = data.RegimeNames[r];
            var segments = segmentsByRegime[r];
            long bars = segments.Sum(s => s.End - s.Start);
            var context = new DataContext
            {
                Segments = new RegimeSegments { Regime = regime, Segments = { segments.Select(s => new BarWindow { StartBar = s.Start, EndBar = s.End }) } },
                EvaluateWholeSeries = attribution,
                Label = $"regime {regime}",
            };
            var named = stageSpec.Clone();
            named.Name = string.IsNullOrEmpty(stageSpec.Name) ? regime : $"{stageSpec.Name} ({regime})";
            var stage = Stage(r, named, path + ".stage", context, space, spec, studyMethod, objectives, weights, v);
            if (stage is null)
            {
                continue;
            }

            yield return stage with
            {
                Regime = regime,
                RegimeBars = bars,
                ScoreSegments = attribution ? segments : null,
                SkipReason = bars < minBars ? $"regime '{regime}' has {bars} bars, fewer than min_regime_data ({minBars})" : "",
            };
        }
    }

    /// <summary>
    /// Walk-forward windows (Pardo, "The Evaluation and Optimization of Trading Strategies", 2008): window i optimises on
    /// its in-sample bars, then a validation stage scores the winner on the out-of-sample bars that follow. Rolling
    /// windows move their start by step; anchored windows keep start 0 and grow. In-sample stages are independent and run
    /// at once; each validation stage follows its own in-sample stage.
    /// </summary>
    private static IEnumerable<StageDefinition> WalkForwardStages(
        WalkForwardSequence seq, SearchSpace space, StudySpec spec, MethodSettings studyMethod, ObjectiveDefinition[] objectives, double[]? weights, FieldViolations v)
    {
        const string path = "spec.sequence.walk_forward";
        long bars = spec.Data?.BarCount ?? 0;
        long step = seq.HasStepBars ? seq.StepBars : seq.OutOfSampleBars;
        if (bars <= 0)
        {
            v.Add("spec.data.bar_count", "a walk-forward study needs the number of bars of the series");
        }

        if (seq.InSampleBars < 2)
        {
            v.Add(path + ".in_sample_bars", $"must be >= 2, got {seq.InSampleBars}");
        }

        if (seq.OutOfSampleBars < 2)
        {
            v.Add(path + ".out_of_sample_bars", $"must be >= 2, got {seq.OutOfSampleBars}");
        }

        if (step < 1)
        {
            v.Add(path + ".step_bars", $"must be >= 1, got {step}");
        }

        if (v.Any)
        {
            yield break;
        }

        if (seq.InSampleBars + seq.OutOfSampleBars > bars)
        {
            v.Add(path, $"one window needs {seq.InSampleBars + seq.OutOfSampleBars} bars; the series has {bars}");
            yield break;
        }

        bool anchored = seq.WindowKind == WindowKind.Anchored;
        bool attribution = seq.Mode == EvaluationMode.Attribution;
        var stageSpec = seq.Stage ?? new StageSpec();
        if (stageSpec.Targets.Count == 0)
        {
            stageSpec = stageSpec.Clone();
            stageSpec.Targets.AddRange(spec.Targets.Select(t => t.Name));
        }

        for (int w = 0; ; w++)
        {
            long isStart = anchored ? 0 : w * step;
            long isEnd = (anchored ? seq.InSampleBars + (w * step) : isStart + seq.InSampleBars);
            long oosEnd = isEnd + seq.OutOfSampleBars;
            if (oosEnd > bars)
            {
                yield break;
            }

            var inSample = new DataContext { Window = new BarWindow { StartBar = isStart, EndBar = isEnd }, EvaluateWholeSeries = attribution, Label = $"in-sample {w}" };
            var named = stageSpec.Clone();
            named.Name = $"in-sample {w}";
            var optimise = Stage(2 * w, named, path + ".stage", inSample, space, spec, studyMethod, objectives, weights, v);
            if (optimise is null)
            {
                yield break;
            }

            yield return optimise with { WindowIndex = w, ScoreSegments = attribution ? [(isStart, isEnd)] : null };

            var outOfSample = new DataContext { Window = new BarWindow { StartBar = isEnd, EndBar = oosEnd }, EvaluateWholeSeries = attribution, Label = $"out-of-sample {w}" };
            yield return new StageDefinition(
                2 * w + 1, $"out-of-sample {w}", optimise.Targets, [], new SearchSpace([]), new GridSettings(), 0, objectives, weights, 1, outOfSample)
            {
                After = [2 * w],
                WindowIndex = w,
                IsValidation = true,
                PlannedTrials = 1,
                ScoreSegments = attribution ? [(isEnd, oosEnd)] : null,
            };
        }
    }

    /// <summary>Runs of equal labels as half-open bar windows, per label; bars labelled -1 belong to no regime.</summary>
    private static List<(long Start, long End)>[] RegimeSegmentsOf(IList<int> labels, int regimes)
    {
        var result = Enumerable.Range(0, regimes).Select(_ => new List<(long Start, long End)>()).ToArray();
        int start = 0;
        for (int i = 1; i <= labels.Count; i++)
        {
            if (i == labels.Count || labels[i] != labels[start])
            {
                if (labels[start] >= 0)
                {
                    result[labels[start]].Add((start, i));
                }

                start = i;
            }
        }

        return result;
    }

    private static StageDefinition? Stage(
        int index, StageSpec s, string path, DataContext context, SearchSpace space, StudySpec spec,
        MethodSettings studyMethod, ObjectiveDefinition[] studyObjectives, double[]? studyWeights, FieldViolations v)
    {
        var known = spec.Targets.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        if (s.Targets.Count == 0)
        {
            v.Add(path + ".targets", "a stage needs at least one target");
            return null;
        }

        foreach (var t in s.Targets.Where(t => !known.Contains(t)))
        {
            v.Add(path + ".targets", $"unknown target '{t}'");
            return null;
        }

        var free = Enumerable.Range(0, space.Count)
            .Where(i => s.Targets.Any(t => space.Parameters[i].Name.StartsWith(t + ".", StringComparison.Ordinal)))
            .ToArray();
        var method = s.Method is null ? studyMethod : CompileMethod(s.Method, v, path + ".method");
        var objectives = studyObjectives;
        var weights = studyWeights;
        if (s.Objectives.Count > 0)
        {
            objectives = [.. s.Objectives.Select(o => new ObjectiveDefinition(o.Metric, o.Direction switch
            {
                Direction.Maximize => true,
                Direction.Minimize => false,
                _ => !MetricCatalog.TryGet(o.Metric, out var m) || m.HigherIsBetter,
            }))];
            weights = s.Objectives.Any(o => o.HasWeight) ? [.. s.Objectives.Select(o => o.HasWeight ? o.Weight : 1.0)] : null;
        }

        long maxTrials = s.HasMaxTrials ? s.MaxTrials : spec.MaxTrials;
        if (maxTrials < 0 || (maxTrials == 0 && method is RandomSettings or Core.Methods.BayesianSettings))
        {
            v.Add(path + ".max_trials", "random and Bayesian stages need max_trials > 0");
        }

        ulong seed = (spec.Method?.Seed ?? 0) + ((ulong)index * 0x9E3779B97F4A7C15UL);
        return new StageDefinition(
            index,
            string.IsNullOrEmpty(s.Name) ? string.Join("+", s.Targets) : s.Name,
            [.. s.Targets],
            free,
            new SearchSpace([.. free.Select(i => space.Parameters[i])]),
            method,
            seed,
            objectives,
            weights,
            maxTrials,
            context)
        {
            MethodOverride = s.Method,
            PlannedTrials = PlannedTrials(method, space, free, maxTrials),
        };
    }

    // The trials a stage will issue at most: its budget, capped by what the method implies when that is finite.
    private static long PlannedTrials(MethodSettings method, SearchSpace space, int[] free, long maxTrials)
    {
        long natural = method switch
        {
            GridSettings g => new SearchSpace([.. free.Select(i => space.Parameters[i])]).GridSize(g.FloatPoints) ?? 0,
            Core.Methods.Genetic.GeneticSettings g => (long)g.PopulationSize * g.Generations,
            Core.Methods.Swarm.ParticleSwarmSettings p => (long)p.SwarmSize * p.Iterations,
            Core.Methods.MultiObjective.Nsga2Settings n => (long)n.PopulationSize * n.Generations,
            _ => 0,
        };
        return free.Length == 0 ? 1 : maxTrials > 0 && natural > 0 ? Math.Min(maxTrials, natural) : Math.Max(maxTrials, natural);
    }
}
