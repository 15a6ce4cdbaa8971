using Google.Protobuf.Collections;
using OptimizerGrpc.Client;
using V1 = OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Optimization;

/// <summary>
/// Maps the server's study result to <see cref="OptimizationResult"/>, in one place: wire parameter names
/// ("target.rule__parameter") become the spec's ("rule.parameter" within a target, "target.rule.parameter" across).
/// </summary>
internal static class ResultMapper
{
    public static OptimizationResult ToResult(string sequence, StudyResultInfo result, TimeSpan elapsed)
    {
        var raw = result.Raw;
        return new OptimizationResult(
            result.Study.StudyId, sequence, result.Study.State, TargetsOf(raw.TargetResults), result.Study.Counts, elapsed)
        {
            RegimeResults = raw.RegimeResults.ToDictionary(
                r => r.Regime,
                r => new RegimeResult(r.Regime, r.BarCount, TargetsOf(r.TargetResults), r.Skipped, r.Skipped ? r.SkipReason : null),
                StringComparer.Ordinal),
            WalkForward = raw.WalkForward is { Windows.Count: > 0 } walk ? ToWalkForward(walk) : null,
            Hierarchical = raw.Hierarchical is { } h ? ToHierarchical(h) : null,
            Analysis = result.Analysis is { } analysis ? AnalysisNames.ToSpecNames(analysis) : null,
            Failures = new FailureSummary(result.Study.Counts.Failed, result.Study.FailureReasons),
        };
    }

    private static HierarchicalResult ToHierarchical(V1.HierarchicalResult h) => new(
        [.. h.OuterTargets], [.. h.InnerTargets], [.. h.Candidates.Select(ToCandidate)], h.Best is { } best ? ToCandidate(best) : null);

    private static HierarchicalCandidate ToCandidate(V1.HierarchicalCandidate c) => new(
        c.OuterParams.ToDictionary(p => Qualified(p.Key), p => AsDouble(p.Value), StringComparer.Ordinal),
        c.InnerBestParams.ToDictionary(p => Qualified(p.Key), p => AsDouble(p.Value), StringComparer.Ordinal),
        c.BestScore, c.Trials, c.CompletedTrials);

    private static Dictionary<string, TargetResult> TargetsOf(RepeatedField<V1.TargetResult> targets) =>
        targets.GroupBy(t => t.Target, StringComparer.Ordinal).ToDictionary(g => g.Key, g => ToTarget(g.First()), StringComparer.Ordinal);

    private static TargetResult ToTarget(V1.TargetResult t) => new(
        t.Target,
        t.BestParams.ToDictionary(p => Names.FromWire(Unqualified(t.Target, p.Key)), p => AsDouble(p.Value), StringComparer.Ordinal),
        t.BestScore, t.Metric, t.TrialNumber);

    private static WalkForwardResult ToWalkForward(V1.WalkForwardResult walk) => new(
        [.. walk.Windows.OrderBy(w => w.Index).Select(w => new WalkForwardWindow(
            w.Index, Range(w.InSample), Range(w.OutOfSample),
            w.BestParams.ToDictionary(p => Qualified(p.Key), p => AsDouble(p.Value), StringComparer.Ordinal),
            new Dictionary<string, double>(w.InSampleMetrics, StringComparer.Ordinal),
            new Dictionary<string, double>(w.OutOfSampleMetrics, StringComparer.Ordinal)))],
        [.. walk.StitchedEquity], walk.StitchedReturn, walk.Efficiency, walk.ProfitableWindowShare,
        walk.ParameterStability.ToDictionary(p => Qualified(p.Key), p => p.Value, StringComparer.Ordinal));

    private static BarRange Range(V1.BarWindow? window) => window is null ? default : new(window.StartBar, window.EndBar);

    private static double AsDouble(V1.ParameterValue value) => value.KindCase switch
    {
        V1.ParameterValue.KindOneofCase.IntValue => value.IntValue,
        V1.ParameterValue.KindOneofCase.FloatValue => value.FloatValue,
        V1.ParameterValue.KindOneofCase.BoolValue => value.BoolValue ? 1 : 0,
        _ => throw new InvalidOperationException($"parameter value {value} is not a number; the manager's targets only have numeric parameters"),
    };

    private static string Unqualified(string target, string key) =>
        key.StartsWith(target + ".", StringComparison.Ordinal) ? key[(target.Length + 1)..] : key;

    // "target.rule__parameter" -> "target.rule.parameter"; the target prefix is kept because a window may span targets.
    private static string Qualified(string key) => Names.FromWire(key);
}
