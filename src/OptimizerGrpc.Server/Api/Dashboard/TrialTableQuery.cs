using System.Globalization;
using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Server.Api.Dashboard;

/// <summary>
/// One page of the dashboard's trial table: trials filtered by stage, state and clauses over parameters and values
/// (<c>NAME&gt;=x</c>, <c>NAME&lt;=x</c>, <c>NAME&gt;x</c>, <c>NAME&lt;x</c>, <c>NAME=x</c>, joined by commas), sorted by
/// number, score, a parameter or a value. Bad input raises <see cref="DashboardQueryException"/> with the reason.
/// </summary>
internal sealed record TrialTableQuery(int? Stage, TrialState? State, string Sort, bool Descending, int Offset, int Limit, IReadOnlyList<TrialTableQuery.Clause> Filter)
{
    public const int MaxLimit = 500;

    public sealed record Clause(string Name, string Operator, string Text, double? Number);

    public static TrialTableQuery Parse(StudyPlan plan, string? stage, string? state, string? sort, string? desc, string? offset, string? limit, string? filter)
    {
        ArgumentNullException.ThrowIfNull(plan);
        int? stageIndex = string.IsNullOrEmpty(stage) ? null : DashboardQueryException.Stage(plan, stage);
        TrialState? trialState = null;
        if (!string.IsNullOrEmpty(state))
        {
            trialState = Enum.TryParse<TrialState>(state, ignoreCase: true, out var s) && Enum.IsDefined(s)
                ? s
                : throw new DashboardQueryException($"state must be one of {string.Join(", ", Enum.GetNames<TrialState>().Select(n => n.ToUpperInvariant()))}");
        }

        string by = string.IsNullOrEmpty(sort) ? "number" : sort;
        if (by is not ("number" or "score") && !by.StartsWith("param:", StringComparison.Ordinal) && !by.StartsWith("value:", StringComparison.Ordinal))
        {
            throw new DashboardQueryException("sort must be number, score, param:NAME or value:METRIC");
        }

        bool descending = desc is "true" or "1";
        int from = Int(offset, "offset", 0, 0, int.MaxValue);
        int count = Int(limit, "limit", 50, 1, MaxLimit);
        var clauses = string.IsNullOrWhiteSpace(filter) ? [] : filter.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseClause).ToList();
        return new TrialTableQuery(stageIndex, trialState, by, descending, from, count, clauses);
    }

    public TrialPageJson Run(IReadOnlyCollection<TrialRecord> trials, StudyPlan plan)
    {
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(plan);
        var rows = trials
            .Where(t => (Stage is null || t.StageIndex == Stage) && (State is null || t.State == State))
            .Select(t => (Trial: t, Score: DashboardViews.Score(plan.Stages[t.StageIndex], t)))
            .Where(r => Filter.All(c => Matches(c, r.Trial, r.Score)))
            .ToList();
        Func<(TrialRecord Trial, double Score), IComparable?> key = Sort switch
        {
            "number" => r => r.Trial.Number,
            "score" => r => double.IsNaN(r.Score) ? null : r.Score,
            _ when Sort.StartsWith("param:", StringComparison.Ordinal) => r => Comparable(r.Trial, Sort["param:".Length..]),
            _ => r => r.Trial.Values.TryGetValue(Sort["value:".Length..], out double v) && double.IsFinite(v) ? v : null,
        };
        // Missing values sort last either way; ties by trial number.
        var ordered = rows.OrderBy(r => key(r) is null ? 1 : 0);
        ordered = Descending ? ordered.ThenByDescending(key) : ordered.ThenBy(key);
        var page = ordered.ThenBy(r => r.Trial.Number).Skip(Offset).Take(Limit).Select(r => Row(r.Trial, r.Score)).ToList();
        return new TrialPageJson(rows.Count, Offset, page);
    }

    public static TrialRowJson Row(TrialRecord trial, double score)
    {
        ArgumentNullException.ThrowIfNull(trial);
        double? duration = trial.StartTime is { } start && trial.EndTime is { } end ? (end - start).TotalMilliseconds : null;
        return new TrialRowJson(
            trial.Number, trial.StageId, DashboardViews.Name(trial.State), double.IsFinite(score) ? score : null, DashboardViews.Params(trial),
            trial.Values, trial.Reason, trial.WorkerId, duration);
    }

    private static IComparable? Comparable(TrialRecord trial, string name) =>
        !trial.TryGetParam(name, out var value) ? null
        : value.TryAsNumber(out double number) ? number
        : value.ToString();

    private static bool Matches(Clause c, TrialRecord trial, double score)
    {
        double? number = null;
        string? text = null;
        if (c.Name == "score")
        {
            number = double.IsFinite(score) ? score : null;
        }
        else if (trial.TryGetParam(c.Name, out var value))
        {
            number = value.TryAsNumber(out double n) ? n : null;
            text = value.ToString();
        }
        else if (trial.Values.TryGetValue(c.Name, out double v))
        {
            number = v;
        }
        else
        {
            return false;
        }

        if (c.Operator == "=" && c.Number is null)
        {
            return string.Equals(text, c.Text, StringComparison.Ordinal);
        }

        return number is { } x && c.Number is { } y && c.Operator switch
        {
            ">=" => x >= y,
            "<=" => x <= y,
            ">" => x > y,
            "<" => x < y,
            _ => x == y,
        };
    }

    private static Clause ParseClause(string clause)
    {
        foreach (string op in (string[])[">=", "<=", ">", "<", "="])
        {
            int at = clause.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                string name = clause[..at].Trim(), text = clause[(at + op.Length)..].Trim();
                double? number = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double n) ? n : null;
                if (op != "=" && number is null)
                {
                    throw new DashboardQueryException($"filter '{Clip(clause)}': '{Clip(text)}' is not a number");
                }

                return new Clause(name, op, text, number);
            }
        }

        throw new DashboardQueryException($"filter '{Clip(clause)}' is not NAME>=x, NAME<=x, NAME>x, NAME<x or NAME=x");
    }

    private static int Int(string? text, string name, int fallback, int min, int max)
    {
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max
            ? value
            : throw new DashboardQueryException($"{name} must be an integer from {min} to {max}");
    }

    private static string Clip(string text) => text.Length <= 64 ? text : text[..64] + "…";
}

/// <summary>A dashboard request the server refuses, with the reason (400, or 404 when <see cref="NotFound"/>).</summary>
internal sealed class DashboardQueryException(string message, bool notFound = false) : Exception(message)
{
    public bool NotFound { get; } = notFound;

    public static int Stage(StudyPlan plan, string stageId) =>
        StageIds.TryParse(stageId, out int index) && index < plan.Stages.Count
            ? index
            : throw new DashboardQueryException($"the study has no stage '{(stageId.Length <= 64 ? stageId : stageId[..64])}'", notFound: true);
}
