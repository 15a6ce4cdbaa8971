using System.Text.Json;
using System.Text.Json.Serialization;
using OptimizerGrpc.Client;
using OptimizerGrpc.Optimization;

namespace OptimizerGrpc.Cli.Output;

/// <summary>
/// The JSON files the CLI writes: snake_case keys; NaN and infinite numbers (an empty sensitivity cell, a neighbour
/// mean without neighbours, a MinTRL that no track record reaches) as null; parameter values as plain JSON values.
/// </summary>
internal static class ResultJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new FiniteDoubleConverter(), new ParamValueConverter(), new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static Task WriteAsync(string path, object value, CancellationToken ct) =>
        File.WriteAllTextAsync(path, JsonSerializer.Serialize(value, Options), ct);

    /// <summary>An <c>optimizer run</c> result: the spec's result dict, plus the study's analysis under "analysis".</summary>
    public static object Of(OptimizationResult result) => new
    {
        result.StudyId,
        result.Sequence,
        State = result.State.ToString(),
        ElapsedSeconds = result.Elapsed.TotalSeconds,
        Trials = new { result.Counts.Completed, result.Counts.Infeasible, result.Counts.Failed, result.Counts.Pruned },
        TargetResults = TargetsJson(result.TargetResults),
        RegimeResults = result.RegimeResults.ToDictionary(
            r => r.Key, r => new { r.Value.BarCount, r.Value.Skipped, r.Value.SkipReason, TargetResults = TargetsJson(r.Value.TargetResults) }),
        WalkForward = result.WalkForward is not { } walk ? null : new
        {
            Windows = walk.Windows.Select(w => new
            {
                w.Index,
                InSample = new[] { w.InSample.StartBar, w.InSample.EndBar },
                OutOfSample = new[] { w.OutOfSample.StartBar, w.OutOfSample.EndBar },
                w.BestParams,
                w.InSampleMetrics,
                w.OutOfSampleMetrics,
            }),
            walk.StitchedEquity,
            walk.StitchedReturn,
            walk.Efficiency,
            walk.ProfitableWindowShare,
            walk.ParameterStability,
        },
        Hierarchical = result.Hierarchical is not { } h ? null : new
        {
            h.OuterTargets,
            h.InnerTargets,
            Candidates = h.Candidates.Select(CandidateJson),
            Best = h.Best is { } best ? CandidateJson(best) : null,
        },

        // The study's analysis as the client maps it: per stage importance, sensitivity, surfaces, robustness, modes and
        // overfitting statistics; the regime matrix; the walk-forward summary. Absent values (NaN) are null.
        result.Analysis,
    };

    private static object CandidateJson(HierarchicalCandidate c) =>
        new { c.OuterParams, c.InnerBestParams, BestScore = double.IsNaN(c.BestScore) ? (double?)null : c.BestScore, c.Trials, c.CompletedTrials };

    private static Dictionary<string, object> TargetsJson(IReadOnlyDictionary<string, TargetResult> targets) => targets.ToDictionary(
        t => t.Key, t => (object)new { t.Value.BestParams, t.Value.BestScore, t.Value.Metric, t.Value.TrialNumber }, StringComparer.Ordinal);

    /// <summary>Writes NaN and infinities as null (JSON has no such numbers); reads null as NaN.</summary>
    private sealed class FiniteDoubleConverter : JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value))
            {
                writer.WriteNumberValue(value);
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    }

    /// <summary>Writes a parameter value as the JSON number, string or boolean it holds (null when unset).</summary>
    private sealed class ParamValueConverter : JsonConverter<ParamValue>
    {
        public override ParamValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("The CLI writes parameter values; it never reads them back.");

        public override void Write(Utf8JsonWriter writer, ParamValue value, JsonSerializerOptions options)
        {
            switch (value.Kind)
            {
                case ParamKind.Int:
                    writer.WriteNumberValue(value.AsInt64());
                    break;
                case ParamKind.Float:
                    JsonSerializer.Serialize(writer, value.AsDouble(), options);
                    break;
                case ParamKind.String:
                    writer.WriteStringValue(value.AsString());
                    break;
                case ParamKind.Bool:
                    writer.WriteBooleanValue(value.AsBool());
                    break;
                default:
                    writer.WriteNullValue();
                    break;
            }
        }
    }
}
