using System.Runtime.CompilerServices;
using Google.Protobuf;
using OptimizerGrpc.Core.Analysis;
using OptimizerGrpc.Core.Analysis.History;
using OptimizerGrpc.Core.Studies;
using OptimizerGrpc.Server.Api.Mapping;
using OptimizerGrpc.Server.Engine;
using OptimizerGrpc.Server.Engine.Results;

namespace OptimizerGrpc.Server.Api.Dashboard;

/// <summary>The dashboard's read models: what each API path answers (docs/dashboard-api.md), shared by the HTTP
/// endpoints and the report builder.</summary>
internal sealed class DashboardQueries(StudyRegistry registry, StudyTrialsCache trials, ThroughputTracker throughput)
{
    public const int DefaultHistoryPoints = 2000;

    public const int MaxHistoryPoints = 10_000;

    private static readonly JsonFormatter AnalysisJson = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    // The last analysis of each study with the committed sequence it was computed at; dropped with the runtime.
    private readonly ConditionalWeakTable<StudyRuntime, Tuple<long, string>> _analyses = [];

    public StudyRegistry Registry => registry;

    // Summaries of studies not restored since the start: nothing changes them until they are, so each is read once.
    private readonly ConditionalWeakTable<StudyEntry, StudySummaryJson> _stored = [];

    /// <summary>The study, restored on first use; a 404 when there is none.</summary>
    public async Task<StudyRuntime> FindAsync(string studyId)
    {
        try
        {
            return await registry.GetAsync(studyId).ConfigureAwait(false);
        }
        catch (StudyNotFoundException)
        {
            throw new DashboardQueryException($"No study '{Clip(studyId)}' on this server", notFound: true);
        }
    }

    /// <summary>The summary of every study the caller may see (<paramref name="visible"/>), newest first; listing does not restore a study.</summary>
    public async Task<IReadOnlyList<StudySummaryJson>> StudiesAsync(Func<StudyEntry, bool> visible, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(visible);
        var list = new List<StudySummaryJson>();
        foreach (var entry in registry.Entries.Where(visible).OrderByDescending(e => e.Key))
        {
            if (entry.Runtime is { } runtime)
            {
                list.Add(Summary(runtime));
            }
            else if (_stored.TryGetValue(entry, out var summary))
            {
                list.Add(summary);
            }
            else
            {
                try
                {
                    summary = Summary(await registry.ReadDetachedAsync(entry, ct).ConfigureAwait(false));
                }
                catch (StudyNotFoundException)
                {
                    continue; // deleted meanwhile
                }

                _stored.AddOrUpdate(entry, summary);
                list.Add(summary);
            }
        }

        return list;
    }

    public StudySummaryJson Summary(StudyRuntime runtime) => DashboardViews.Summary(runtime, runtime.View(), throughput);

    public StudyDetailJson Detail(StudyRuntime runtime)
    {
        var view = runtime.View();
        return new StudyDetailJson(DashboardViews.Summary(runtime, view, throughput), [.. view.Stages.Select(DashboardViews.Stage)], DashboardViews.Data(runtime));
    }

    public async Task<HistoryJson> HistoryAsync(StudyRuntime runtime, string? stageId, int points, CancellationToken ct)
    {
        int stage = string.IsNullOrEmpty(stageId) ? 0 : DashboardQueryException.Stage(runtime.Plan, stageId);
        var definition = runtime.Plan.Stages[stage];
        // The score column answers without decoding a trial; stages stored before it existed decode their trials.
        var stored = await registry.Store.ReadScoresAsync(runtime.Key, stage, ct).ConfigureAwait(false);
        var scored = stored is not null
            ? stored.Select(s => new HistoryPoint(s.Number, s.Score)).ToList()
            : (await trials.TrialsAsync(runtime, ct).ConfigureAwait(false))
                .Where(t => t.StageIndex == stage && t.State == TrialState.Completed)
                .Select(t => new HistoryPoint(t.Number, DashboardViews.Score(definition, t)))
                .ToList();
        var view = OptimizationHistory.Downsample(scored, points);
        return new HistoryJson(
            definition.StageId, DashboardViews.Metric(definition), view.Completed, view.Points.Count,
            [.. view.Points.Select(p => new[] { p.Number, p.Score })], [.. view.Best.Select(p => new[] { p.Number, p.Score })]);
    }

    public async Task<TrialPageJson> TrialsAsync(StudyRuntime runtime, TrialTableQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        // A stage's trials by number or score without a filter (the page's first table, parallel coordinates) come
        // from the store in order, one page decoded; anything else filters and sorts the cached trials.
        if (query is { Stage: { } stage, Sort: "score" or "number", Filter.Count: 0 }
            && await registry.Store.ReadTrialsPageAsync(
                runtime.Key, runtime.Plan.Space, stage, query.State is { } state ? [state] : [], query.Sort == "score", query.Descending, query.Offset, query.Limit, ct)
                .ConfigureAwait(false) is { } page)
        {
            var definition = runtime.Plan.Stages[stage];
            return new TrialPageJson(page.Total, query.Offset, [.. page.Page.Select(t => TrialTableQuery.Row(t, DashboardViews.Score(definition, t)))]);
        }

        return query.Run(await trials.TrialsAsync(runtime, ct).ConfigureAwait(false), runtime.Plan);
    }

    public async Task<EquityJson> EquityAsync(StudyRuntime runtime, string? stageId, int top, CancellationToken ct)
    {
        int? stage = string.IsNullOrEmpty(stageId) ? null : DashboardQueryException.Stage(runtime.Plan, stageId);
        var kept = await registry.Store.ReadEquityAsync(runtime.Key, stage, ct).ConfigureAwait(false);
        return new EquityJson(EquityKeeper.KeptPerStage, [.. kept.GroupBy(k => k.StageIndex).SelectMany(g => g.Take(top))
            .Select(k => new EquityCurveJson(k.Number, StageIds.Of(k.StageIndex), k.Score, k.StartBar, k.Stride, k.BarCount, k.Equity))]);
    }

    /// <summary>The study's analysis as protobuf JSON, computed at most once per stored change of the study.</summary>
    public async Task<string> AnalysisAsync(StudyRuntime runtime, CancellationToken ct)
    {
        long sequence = runtime.CommittedSequence;
        if (_analyses.TryGetValue(runtime, out var cached) && cached.Item1 == sequence)
        {
            return cached.Item2;
        }

        var report = await StudyAnalysisQuery.BuildAsync(runtime, registry, AnalysisSettings.Default, ct).ConfigureAwait(false);
        string json = AnalysisJson.Format(AnalysisMapper.ToProto(report));
        _analyses.AddOrUpdate(runtime, Tuple.Create(sequence, json));
        return json;
    }

    public static string Clip(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
