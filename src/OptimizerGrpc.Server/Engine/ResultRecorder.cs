using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Scoring;
using OptimizerGrpc.Core.Studies;
using OptimizerGrpc.Server.Engine.Store;

namespace OptimizerGrpc.Server.Engine;

/// <summary>
/// Records results: checks a reported attempt against the trial's lease, judges the outcome, closes the trial, feeds
/// the stage's method (and the proposals waiting for the same assignment), and keeps each stage's and the study's best.
/// Used under the study's gate, except <see cref="Prepare"/>.
/// </summary>
internal sealed class ResultRecorder(StudyBook book)
{
    /// <summary>
    /// Metrics and return summaries of backtest records are the costly part of a tell (a 62,496-bar record takes ~0.3 ms),
    /// so they are computed before taking the study's gate; they are pure given the outcome and the trial's stage.
    /// </summary>
    public static PreparedOutcome?[] Prepare(IReadOnlyList<ReportedOutcome> outcomes, StageDefinition?[] stages, TrialScorer scorer)
    {
        var prepared = new PreparedOutcome?[outcomes.Count];
        for (int i = 0; i < outcomes.Count; i++)
        {
            if (stages[i] is { } stage && outcomes[i].Outcome is { Error: null, Record: not null } outcome)
            {
                prepared[i] = OutcomeJudge.Prepare(outcome, stage, scorer);
            }
        }

        return prepared;
    }

    /// <summary>Records one result. <paramref name="needsStore"/> is set when the trial finished long ago: the store answers.</summary>
    public TellResult Record(in ReportedOutcome reported, PreparedOutcome? prepared, DateTimeOffset now, WriteBatch batch, TrialDispatcher dispatcher, out bool needsStore)
    {
        needsStore = false;
        if (reported.TrialNumber < 0 || reported.TrialNumber >= book.Queue.NextNumber)
        {
            return TellResult.NotFound(book.StudyId, reported.TrialNumber);
        }

        if (!book.Queue.TryGet(reported.TrialNumber, out var active))
        {
            if (book.Ledger.TryAnswer(reported, out var answer))
            {
                return answer;
            }

            needsStore = true;
            return default;
        }

        var trial = active.Trial;
        if (reported.Attempt < trial.Attempt)
        {
            return new TellResult(TellStatus.Expired, null,
                $"attempt {reported.Attempt} of trial {trial.Number} expired; the trial is on attempt {trial.Attempt}");
        }

        if (reported.Attempt > trial.Attempt || trial.State != TrialState.Running)
        {
            return new TellResult(TellStatus.Rejected, null,
                $"trial {trial.Number} has no running attempt {reported.Attempt} (state {trial.State}, attempt {trial.Attempt})");
        }

        if (!LeaseHolder.Matches(trial.WorkerId, reported.WorkerId))
        {
            // Checked before the lease's expiry so a foreign result can neither finish nor requeue the trial.
            return new TellResult(TellStatus.Rejected, null,
                $"trial {trial.Number} attempt {reported.Attempt} is leased to another worker; a worker reports only on its own leases",
                IsNotHolder: true);
        }

        if (trial.LeaseExpireTime <= now)
        {
            // Strict leases: once expired, the attempt is void even if the sweeper has not run yet.
            dispatcher.Requeue(active, now, $"lease expired (worker '{trial.WorkerId}')", batch, this);
            return new TellResult(TellStatus.Expired, null,
                $"the lease of trial {trial.Number} attempt {reported.Attempt} expired before its result arrived");
        }

        book.Counts.Running--;
        book.Stages[active.Stage].Counts.Running--;
        book.Limits.Release(trial.WorkerId);
        var stage = book.Stages[active.Stage].Definition;
        var judged = prepared is null
            ? OutcomeJudge.Judge(reported.Outcome, stage, book.Plan.Scorer, null)
            : OutcomeJudge.JudgePrepared(reported.Outcome, stage, book.Plan.Scorer, prepared);
        active.Trial = trial with
        {
            Values = judged.Values,
            ObjectiveValues = judged.ObjectiveValues,
            WindowEquity = judged.WindowEquity,
            Returns = judged.Returns,
        };
        Finish(active, judged.State, judged.Reason, closedWithoutResult: false, now, batch);
        if (judged.State == TrialState.Completed && reported.Outcome.Record is { } record)
        {
            var runtime = book.Stages[active.Stage];
            EquityKeeper.Offer(book, runtime, active.Trial, stage.Rank(stage.Orient(active.Trial.ObjectiveValues)), record.Equity, reported.Outcome.RecordStartBar, batch);
        }

        return new TellResult(TellStatus.Accepted, active.Trial, "");
    }

    /// <summary>Closes a trial without a worker's result (out of attempts, or the study ended first).</summary>
    public void Close(ActiveTrial active, TrialState state, string reason, DateTimeOffset now, WriteBatch batch) =>
        Finish(active, state, reason, closedWithoutResult: true, now, batch);

    private void Finish(ActiveTrial active, TrialState state, string reason, bool closedWithoutResult, DateTimeOffset now, WriteBatch batch)
    {
        var trial = active.Trial with
        {
            State = state,
            Reason = reason,
            ClosedWithoutResult = closedWithoutResult,
            EndTime = now,
            LeaseExpireTime = null,
        };
        book.Queue.Remove(trial.Number);
        book.Ledger.Remember(trial.Number, trial.Attempt, reportedByWorker: !closedWithoutResult);
        var kind = state switch
        {
            TrialState.Completed => ObservationKind.Completed,
            TrialState.Infeasible => ObservationKind.Infeasible,
            TrialState.Pruned => ObservationKind.Pruned,
            _ => ObservationKind.Failed,
        };
        var stage = book.Stages[active.Stage];
        var definition = stage.Definition;
        double[] scores = kind == ObservationKind.Completed ? definition.Orient(trial.ObjectiveValues) : [];
        // Weighted-sum stages give the method one scalar; others give it every objective.
        var told = new Observation(active.Assignment, definition.Weights is null || scores.Length == 0 ? scores : [definition.Rank(scores)], kind);
        stage.Method?.Tell(told);
        book.Counts.Add(state);
        stage.Counts.Add(state);
        if (stage.Evaluated is { } evaluated)
        {
            string key = StageRuntime.KeyOf(active.Assignment);
            if (kind is ObservationKind.Completed or ObservationKind.Infeasible)
            {
                evaluated.TryAdd(key, told);
            }

            // Proposals that waited for this assignment get its outcome, whatever it is (a failure too: same backtest).
            stage.InFlight!.Remove(key);
            if (stage.Waiting!.Remove(key, out var twins))
            {
                foreach (var twin in twins)
                {
                    stage.Method?.Tell(told with { Params = twin });
                }
            }
        }

        active.Trial = trial = book.Write(trial, batch);
        book.PublishFinished(trial, now, batch);
        if (kind == ObservationKind.Completed && definition.Rank(scores) > stage.BestScore)
        {
            stage.BestScore = definition.Rank(scores);
            stage.Best = trial;
            book.Append(new NewBestEvent(definition.Index, trial), now, batch);
            UpdateStudyBest(stage);
        }
    }

    // The study's best: in a sequence where a stage follows another, the later stage's winner (it includes the
    // earlier winners); between independent stages (parallel, regimes), the higher rank. A cross-regime validation
    // stage re-scores a regime's winner on another regime's bars: it is a check, never the study's best.
    private void UpdateStudyBest(StageRuntime stage)
    {
        if (stage.Definition.WinnerOfRegime.Length > 0)
        {
            return;
        }

        int current = book.Best is null ? -1 : book.Best.StageIndex;
        bool follows = current >= 0 && stage.Definition.After.Contains(current);
        if (book.Best is null || follows || current == stage.Definition.Index
            || (!book.Stages[current].Definition.After.Contains(stage.Definition.Index) && stage.BestScore > book.BestScore))
        {
            book.Best = stage.Best;
            book.BestScore = stage.BestScore;
        }
    }
}
