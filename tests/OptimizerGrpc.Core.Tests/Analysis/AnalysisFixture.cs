using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;
using OptimizerGrpc.Core.Tests.Sequences;

namespace OptimizerGrpc.Core.Tests.Analysis;

/// <summary>Trials, stage views and study views for the analysis tests, over <see cref="PlanningFixture.Space"/> unless told.</summary>
internal static class AnalysisFixture
{
    public static readonly DateTimeOffset Time = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    /// <summary>An assignment of the planning fixture's space: ma.fast, ma.slow, rsi.period, stop.kind.</summary>
    public static ParamValue[] Params(long fast, long slow, long period, string kind) =>
        [ParamValue.Int(fast), ParamValue.Int(slow), ParamValue.Int(period), ParamValue.String(kind)];

    public static TrialRecord Trial(
        long number,
        int stage,
        ParamValue[] parameters,
        double[] objectives,
        IReadOnlyDictionary<string, double>? values = null,
        TrialState state = TrialState.Completed,
        SearchSpace? space = null) => new()
        {
            StudyId = "study-1",
            StageIndex = stage,
            Number = number,
            State = state,
            Space = space ?? PlanningFixture.Space,
            Params = parameters,
            Context = DataContext.Whole,
            ObjectiveValues = objectives,
            Values = values ?? new Dictionary<string, double>(StringComparer.Ordinal),
        };

    public static Dictionary<string, double> Values(params (string Name, double Value)[] values) =>
        values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);

    public static StageView View(StageDefinition stage, TrialRecord? best, StageState state = StageState.Completed, string skipReason = "") =>
        new(stage, state, best, default, [], stage.Method, stage.Seed, false, skipReason);

    public static StudyView Study(TrialRecord? best, params StageView[] stages) =>
        new("study-1", StudyState.Completed, "", Time, Time, default, best, stages, 0);
}
