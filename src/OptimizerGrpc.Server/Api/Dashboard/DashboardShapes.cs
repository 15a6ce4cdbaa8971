namespace OptimizerGrpc.Server.Api.Dashboard;

// The JSON shapes of docs/dashboard-api.md, one record per object, kept together as a proto file keeps its messages.

internal sealed record CountsJson(long Pending, long Running, long Completed, long Infeasible, long Failed, long Pruned);

internal sealed record BestJson(long Number, string Stage, double Score, string Metric);

internal sealed record StudySummaryJson(
    string Id, string Name, string State, string StateReason, DateTimeOffset Created, DateTimeOffset Updated, CountsJson Counts,
    long Finished, long Planned, BestJson? Best, double TrialsPerSecond, double? EtaSeconds, long LastSequence);

internal sealed record ObjectiveJson(string Metric, bool Maximize);

internal sealed record ParameterJson(string Name, string Kind, double? Low, double? High, IReadOnlyList<string>? Choices, bool Log);

internal sealed record ContextJson(string Label, long? StartBar, long? EndBar);

internal sealed record StageBestJson(long Number, double Score, IReadOnlyDictionary<string, object> Params, IReadOnlyDictionary<string, double> Values);

internal sealed record StageJson(
    string Id, int Index, string Name, string State, IReadOnlyList<string> Targets, string Regime, string WinnerOfRegime, int? WindowIndex,
    bool IsValidation, string SkipReason, CountsJson Counts, long Planned, string Metric, IReadOnlyList<ObjectiveJson> Objectives,
    IReadOnlyList<ParameterJson> Parameters, ContextJson Context, StageBestJson? Best);

internal sealed record DataJson(string Name, long BarCount, IReadOnlyList<string> RegimeNames, IReadOnlyList<long[]> RegimeRuns, IReadOnlyList<double>? Prices, int PriceStride);

internal sealed record StudyDetailJson(StudySummaryJson Study, IReadOnlyList<StageJson> Stages, DataJson Data);

internal sealed record HistoryJson(string Stage, string Metric, int Completed, int Shown, IReadOnlyList<double[]> Points, IReadOnlyList<double[]> Best);

internal sealed record TrialRowJson(
    long Number, string Stage, string State, double? Score, IReadOnlyDictionary<string, object> Params, IReadOnlyDictionary<string, double> Values,
    string Reason, string Worker, double? DurationMs);

internal sealed record TrialPageJson(long Total, int Offset, IReadOnlyList<TrialRowJson> Trials);

internal sealed record EquityCurveJson(long Number, string Stage, double Score, long StartBar, int Stride, long BarCount, IReadOnlyList<double> Equity);

internal sealed record EquityJson(int KeptPerStage, IReadOnlyList<EquityCurveJson> Curves);

internal sealed record ErrorJson(string Error);

