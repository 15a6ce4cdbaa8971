using System.Globalization;
using OptimizerGrpc.Core.Analysis.Overfitting;
using OptimizerGrpc.Core.Studies;
using static OptimizerGrpc.Core.Studies.UserText;

namespace OptimizerGrpc.Core.Scoring;

/// <summary>A trial's final state decided from its outcome, with the values and objective values to record.</summary>
public sealed record Judgement(
    TrialState State,
    string Reason,
    IReadOnlyDictionary<string, double> Values,
    IReadOnlyList<double> ObjectiveValues,
    IReadOnlyList<double> WindowEquity)
{
    /// <summary>The scored returns' summary (completed and infeasible trials with a backtest record); null otherwise.</summary>
    public TrialReturns? Returns { get; init; }
}

/// <summary>An outcome's verdict and return summary, computed outside the study's gate.</summary>
public sealed record PreparedOutcome(ScoringVerdict Verdict, TrialReturns? Returns);

/// <summary>
/// Decides a trial's final state from its outcome: a client error fails it; a client's refusal makes it infeasible
/// (no values: it was never evaluated); otherwise the scorer's values are recorded,
/// a scoring failure fails it, "pruned" prunes it, a missing or non-finite objective fails it, and a failed performance
/// constraint makes it infeasible. Validation stages of walk-forward studies also keep the equity of the scored bars.
/// </summary>
public static class OutcomeJudge
{
    private static readonly IReadOnlyDictionary<string, double> NoValues = new Dictionary<string, double>(StringComparer.Ordinal);

    /// <summary>
    /// The costly, pure part of judging a recorded outcome: its metrics and its return summary. The engine runs it before
    /// taking the study's gate and hands the result to <see cref="JudgePrepared"/>.
    /// </summary>
    public static PreparedOutcome Prepare(TrialOutcome outcome, StageDefinition stage, TrialScorer scorer)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(stage);
        return new PreparedOutcome(Score(outcome, stage, scorer), outcome.Record is { } record ? Summarize(record.Equity, outcome.RecordStartBar, stage) : null);
    }

    /// <summary>Judges an outcome prepared outside the study's gate (see <see cref="Prepare"/>).</summary>
    public static Judgement JudgePrepared(TrialOutcome outcome, StageDefinition stage, TrialScorer scorer, PreparedOutcome prepared)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        return Decide(outcome, stage, scorer, prepared.Verdict, prepared);
    }

    /// <param name="scored">The verdict when it was computed beforehand; null to score here.</param>
    public static Judgement Judge(TrialOutcome outcome, StageDefinition stage, TrialScorer scorer, ScoringVerdict? scored) =>
        Decide(outcome, stage, scorer, scored, null);

    private static Judgement Decide(TrialOutcome outcome, StageDefinition stage, TrialScorer scorer, ScoringVerdict? scored, PreparedOutcome? prepared)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(scorer);
        if (outcome.Error is { } error)
        {
            string type = string.IsNullOrEmpty(error.Type) ? "" : error.Type + ": ";
            return new Judgement(TrialState.Failed, "client error: " + type + error.Message, NoValues, [], []);
        }

        if (!string.IsNullOrEmpty(outcome.InfeasibleReason))
        {
            return new Judgement(TrialState.Infeasible, "refused by the client: " + outcome.InfeasibleReason, NoValues, [], []);
        }

        var verdict = scored ?? Score(outcome, stage, scorer);
        if (verdict.Failed)
        {
            return new Judgement(TrialState.Failed, verdict.Reason, verdict.Values, [], []);
        }

        IReadOnlyList<double> windowEquity = stage.IsValidation && outcome.Record is { } validated
            ? [.. WindowEquity(validated.Equity, outcome.RecordStartBar, stage.ScoreSegments)]
            : [];
        if (outcome.Pruned)
        {
            return new Judgement(TrialState.Pruned, "pruned by the client", verdict.Values, [], windowEquity);
        }

        var objectiveValues = new List<double>(stage.Objectives.Count);
        foreach (var objective in stage.Objectives)
        {
            if (!verdict.Values.TryGetValue(objective.Metric, out double value))
            {
                return new Judgement(TrialState.Failed, $"objective {Quote(objective.Metric)} is missing from the outcome", verdict.Values, objectiveValues, windowEquity);
            }

            if (!double.IsFinite(value))
            {
                return new Judgement(TrialState.Failed, $"objective {Quote(objective.Metric)} is {value.ToString(CultureInfo.InvariantCulture)}, not a finite number", verdict.Values, objectiveValues, windowEquity);
            }

            objectiveValues.Add(value);
        }

        var returns = prepared is not null ? prepared.Returns
            : outcome.Record is { } scoredRecord ? Summarize(scoredRecord.Equity, outcome.RecordStartBar, stage) : null;
        return verdict.Feasible
            ? new Judgement(TrialState.Completed, "", verdict.Values, objectiveValues, windowEquity) { Returns = returns }
            : new Judgement(TrialState.Infeasible, verdict.Reason, verdict.Values, objectiveValues, windowEquity) { Returns = returns };
    }

    /// <summary>
    /// Scores an outcome on its stage's bars. The stage's score segments are series bars and the record's points are
    /// counted from its start bar, so the segments are shifted by it (and clipped at the record's first point).
    /// </summary>
    public static ScoringVerdict Score(TrialOutcome outcome, StageDefinition stage, TrialScorer scorer)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(scorer);
        return scorer.Score(outcome.Values, outcome.Record, Shift(stage.ScoreSegments, outcome.RecordStartBar));
    }

    private static TrialReturns? Summarize(double[] equity, long startBar, StageDefinition stage) =>
        ScoredReturns.Summarize(equity, Shift(stage.ScoreSegments, startBar), stage.RegimeSegments?.Select(r => Shift(r, startBar)!).ToArray());

    private static IReadOnlyList<(long Start, long End)>? Shift(IReadOnlyList<(long Start, long End)>? bars, long offset) =>
        bars is not null && offset != 0 ? [.. bars.Select(b => (Math.Max(0, b.Start - offset), Math.Max(0, b.End - offset)))] : bars;

    /// <summary>
    /// The equity over the scored bars, starting at 1: the record itself (segment mode) or, in attribution mode, the
    /// chained returns of the bars inside the segments (the return of bar t is E[t] / E[t-1] - 1).
    /// </summary>
    public static IEnumerable<double> WindowEquity(IReadOnlyList<double> equity, long startBar, IReadOnlyList<(long Start, long End)>? segments)
    {
        ArgumentNullException.ThrowIfNull(equity);
        double value = 1;
        yield return value;
        if (segments is null)
        {
            for (int t = 1; t < equity.Count; t++)
            {
                yield return value = equity[t] / equity[0];
            }

            yield break;
        }

        foreach (var (start, end) in segments)
        {
            for (long t = Math.Max(1, start - startBar); t < Math.Min(equity.Count, end - startBar); t++)
            {
                yield return value *= equity[(int)t] / equity[(int)t - 1];
            }
        }
    }
}
