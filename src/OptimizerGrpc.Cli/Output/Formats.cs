using System.Globalization;
using OptimizerGrpc.Client;

namespace OptimizerGrpc.Cli.Output;

/// <summary>How values read in tables and lines: invariant culture, six significant digits, short ages.</summary>
internal static class Formats
{
    public static string Number(double value) => double.IsNaN(value) ? "-" : value.ToString("G6", CultureInfo.InvariantCulture);

    public static string Values(IReadOnlyList<double> values) => values.Count == 0 ? "-" : string.Join(", ", values.Select(Number));

    public static string Params(IReadOnlyDictionary<string, ParamValue> parameters) =>
        string.Join(", ", parameters.Select(p => $"{p.Key}={Value(p.Value)}"));

    public static string Value(ParamValue value) =>
        value.Kind == ParamKind.Float ? Number(value.AsDouble()) : value.ToString();

    /// <summary>"12/49" with a plan, "12" without one (a search without a budget).</summary>
    public static string Progress(TrialCounts counts, long planned) =>
        planned > 0 ? string.Create(CultureInfo.InvariantCulture, $"{counts.Finished}/{planned}") : counts.Finished.ToString(CultureInfo.InvariantCulture);

    /// <summary>The trials the study's stages plan in all; 0 when one of them has no bound.</summary>
    public static long PlannedTrials(StudyInfo study) =>
        study.Stages.Count > 0 && study.Stages.All(s => s.PlannedTrials > 0) ? study.Stages.Sum(s => s.PlannedTrials) : 0;

    /// <summary>"45s", "12m", "3h", "2d" since <paramref name="time"/>.</summary>
    public static string Age(DateTimeOffset? time, DateTimeOffset now)
    {
        if (time is not { } t)
        {
            return "-";
        }

        var age = now - t;
        return age.TotalSeconds < 60 ? $"{Math.Max(0, (int)age.TotalSeconds)}s"
            : age.TotalMinutes < 60 ? $"{(int)age.TotalMinutes}m"
            : age.TotalHours < 48 ? $"{(int)age.TotalHours}h"
            : $"{(int)age.TotalDays}d";
    }

    public static string Lower<TEnum>(TEnum value)
        where TEnum : struct, Enum => value.ToString().ToLowerInvariant();

    /// <summary>A trial's score, "1.2345" or "1.2, 0.3" for several objectives, with its number: "1.2345 (#17)".</summary>
    public static string Best(TrialInfo? trial) =>
        trial is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{Values(trial.ObjectiveValues)} (#{trial.Number})");
}
