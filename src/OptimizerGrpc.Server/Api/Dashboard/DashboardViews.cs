using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;
using OptimizerGrpc.Server.Api.Mapping;
using OptimizerGrpc.Server.Engine;

namespace OptimizerGrpc.Server.Api.Dashboard;

/// <summary>Builds the dashboard's study, stage and data shapes from a study's view and spec.</summary>
internal static class DashboardViews
{
    /// <summary>At most this many price values go to the page (the spec allows 20,000; the chart needs fewer).</summary>
    public const int MaxPrices = 5000;

    public static StudySummaryJson Summary(StudyRuntime runtime, StudyView view, ThroughputTracker throughput)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(throughput);
        long finished = view.Counts.Completed + view.Counts.Infeasible + view.Counts.Failed + view.Counts.Pruned;
        long planned = view.Stages.Any(s => s.Definition.PlannedTrials == 0 && s.State != StageState.Skipped)
            ? 0
            : view.Stages.Where(s => s.State != StageState.Skipped).Sum(s => s.Definition.PlannedTrials);
        double rate = view.State == StudyState.Running ? throughput.Rate(runtime.StudyId, finished) : 0;
        double? eta = planned > 0 && rate > 0 && view.State == StudyState.Running ? Math.Max(0, planned - finished) / rate : null;
        BestJson? best = null;
        if (view.Best is { } b && view.Stages.FirstOrDefault(s => s.Index == b.StageIndex) is { } stage)
        {
            best = new BestJson(b.Number, b.StageId, Score(stage.Definition, b), Metric(stage.Definition));
        }

        return new StudySummaryJson(
            runtime.StudyId, runtime.DisplayName, Name(view.State), view.StateReason, view.CreateTime, view.UpdateTime, Counts(view.Counts),
            finished, planned, best, rate, eta, view.LastSequence);
    }

    public static StageJson Stage(StageView stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        var d = stage.Definition;
        var context = d.Context is WindowContext w
            ? new ContextJson(d.Context.Label, w.Window.Start, w.Window.End)
            : new ContextJson(d.Context.Label, null, null);
        StageBestJson? best = stage.Best is { } b
            ? new StageBestJson(b.Number, Score(d, b), Params(b), b.Values)
            : null;
        return new StageJson(
            d.StageId, d.Index, d.Name, Name(stage.State), d.Targets, d.Regime, d.WinnerOfRegime, d.WindowIndex, d.IsValidation, stage.SkipReason,
            Counts(stage.Counts), d.PlannedTrials, Metric(d), [.. d.Objectives.Select(o => new ObjectiveJson(o.Metric, o.Maximize))],
            [.. d.Space.Parameters.Select(Parameter)], context, best);
    }

    public static DataJson Data(StudyRuntime runtime)
    {
        var data = StudySpecs.Of(runtime).Data;
        if (data is null)
        {
            return new DataJson("", 0, [], [], null, 1);
        }

        var runs = new List<long[]>();
        for (int i = 0; i < data.RegimeLabels.Count;)
        {
            int j = i;
            while (j < data.RegimeLabels.Count && data.RegimeLabels[j] == data.RegimeLabels[i])
            {
                j++;
            }

            runs.Add([i, j, data.RegimeLabels[i]]);
            i = j;
        }

        // Prices thinned to at most MaxPrices values: value i is series bar floor(i * barCount / count).
        double[]? prices = null;
        int stride = 1;
        if (data.Prices.Count > 0)
        {
            stride = (data.Prices.Count + MaxPrices - 1) / MaxPrices;
            prices = [.. Enumerable.Range(0, ((data.Prices.Count - 1) / stride) + 1).Select(i => data.Prices[i * stride])];
            if (data.BarCount > 0)
            {
                stride = (int)Math.Max(1, data.BarCount * stride / data.Prices.Count);
            }
        }

        return new DataJson(data.Name, data.BarCount, [.. data.RegimeNames], runs, prices, stride);
    }

    /// <summary>The trial's rank score (higher is better), or NaN when it has no objective values.</summary>
    public static double Score(StageDefinition stage, TrialRecord trial)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(trial);
        return trial.State == TrialState.Completed && trial.ObjectiveValues.Count == stage.Objectives.Count
            ? stage.Rank(stage.Orient(trial.ObjectiveValues))
            : double.NaN;
    }

    public static string Metric(StageDefinition stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        return stage.Objectives.Count == 1 || stage.Weights is null ? stage.Objectives[0].Metric : "weighted sum";
    }

    public static Dictionary<string, object> Params(TrialRecord trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return trial.NamedParams().ToDictionary(p => p.Key, p => Value(p.Value), StringComparer.Ordinal);
    }

    public static object Value(ParamValue value) => value.Kind switch
    {
        ParamKind.Int => value.AsInt,
        ParamKind.Float => value.AsFloat,
        ParamKind.Bool => value.AsBool,
        _ => value.ToString(),
    };

    public static string Name(StudyState state) => state.ToString().ToUpperInvariant();

    public static string Name(StageState state) => state.ToString().ToUpperInvariant();

    public static string Name(TrialState state) => state.ToString().ToUpperInvariant();

    public static CountsJson Counts(TrialCounts c) => new(c.Pending, c.Running, c.Completed, c.Infeasible, c.Failed, c.Pruned);

    private static ParameterJson Parameter(SearchParameter p) => p.Domain switch
    {
        IntDomain i => new ParameterJson(p.Name, "int", i.Low, i.High, null, false),
        FloatDomain f => new ParameterJson(p.Name, "float", f.Low, f.High, null, f.Log),
        CategoricalDomain c => new ParameterJson(p.Name, "categorical", null, null, c.Choices, false),
        ValueListDomain v => new ParameterJson(
            p.Name, v.IsNumeric ? "float" : "categorical", null, null, [.. v.Values.Select(x => x.ToString())], false),
        _ => new ParameterJson(p.Name, "other", null, null, null, false),
    };
}
