using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;
using OptimizerGrpc.Server.Engine.Store;

namespace OptimizerGrpc.Server.Engine;

/// <summary>
/// Moves a study forward: completes stages whose method can propose nothing more (or whose budget is spent) and that
/// have nothing outstanding, starts the stages whose predecessors are done (fixing their winners), skips stages planned
/// as skipped, and completes the study when every stage is done. A stage that cannot find a feasible assignment fails
/// the study, and so does a spent failure budget. Used under the study's gate.
/// </summary>
internal sealed class StageProgression(StudyBook book, Func<StageRuntime, StageView> view, ResultRecorder recorder)
{
    public void Advance(WriteBatch batch)
    {
        if (book.State != StudyState.Running)
        {
            return;
        }

        var now = book.Now;
        if (FailureBudgetSpent())
        {
            FailForFailures(now, batch);
            return;
        }

        var stages = book.Stages;
        bool progressed = true, changed = false;
        while (progressed)
        {
            progressed = false;
            foreach (var stage in stages)
            {
                bool idle = stage.Counts.Pending + stage.Counts.Running == 0;
                if (stage.State == StageState.Running && idle)
                {
                    if (stage.Method!.IsExhausted || stage.BudgetSpent || stage.Saturated)
                    {
                        stage.State = StageState.Completed;
                        book.Append(new StageCompletedEvent(view(stage)), now, batch);
                        progressed = true;
                    }
                    else if (stage.Starved)
                    {
                        book.ChangeState(StudyState.Failed, $"stage '{stage.Definition.Name}': no assignment satisfying the constraints was found in 10000 draws", batch);
                        book.Changed.Pulse();
                        return;
                    }
                }
                else if (stage.State == StageState.Pending && stage.Definition.After.All(i => stages[i].State.IsDone()))
                {
                    if (stage.Definition.SkipReason.Length > 0
                        || (stage.Definition.IsValidation && stage.Definition.After.Any(i => stages[i].Best is null)))
                    {
                        stage.State = StageState.Skipped;
                        book.Append(new StageCompletedEvent(view(stage)), now, batch);
                    }
                    else
                    {
                        stage.Start(FixedValuesFor(stage), book.Plan.Feasible);
                        book.Append(new StageStartedEvent(view(stage)), now, batch);
                    }

                    progressed = true;
                }
            }

            changed |= progressed;
        }

        if (stages.All(s => s.State.IsDone()))
        {
            bool exhausted = stages.All(s => s.State == StageState.Skipped || s.Method!.IsExhausted || s.Saturated);
            book.ChangeState(StudyState.Completed, exhausted ? "search space enumerated" : "trial budget spent", batch);
            book.Changed.Pulse();
        }
        else if (changed)
        {
            book.Changed.Pulse();
        }
    }

    // The budget counts failures before any success: once one trial completed, was infeasible or was pruned, the
    // study's machinery works and later failures are the trials' own business.
    private bool FailureBudgetSpent()
    {
        var counts = book.Counts;
        return book.Plan.FailureBudget > 0 && counts.Failed >= book.Plan.FailureBudget
            && counts.Completed + counts.Infeasible + counts.Pruned == 0;
    }

    // Pending trials are pruned (as by a stop); results of running ones are still accepted and recorded.
    private void FailForFailures(DateTimeOffset now, WriteBatch batch)
    {
        var top = book.Failures.Top(StudyBook.ShownFailureReasons);
        string reasons = string.Join("; ", top.Select(f => $"{f.Count} x {f.Reason}"));
        string reason = $"{book.Counts.Failed} trials failed and none completed (failure budget {book.Plan.FailureBudget}); most common: {reasons}";
        while (book.Queue.TryDequeue(out var active))
        {
            book.Counts.Pending--;
            book.Stages[active.Stage].Counts.Pending--;
            recorder.Close(active, TrialState.Pruned, "the study failed before the trial ran", now, batch);
        }

        book.ChangeState(StudyState.Failed, reason, batch, top);
        book.Changed.Pulse();
    }

    // Defaults, overwritten by the winners of the stages this one follows, in stage order.
    private ParamValue[] FixedValuesFor(StageRuntime stage)
    {
        var values = (ParamValue[])book.Plan.Defaults.Clone();
        foreach (int i in stage.Definition.After)
        {
            if (book.Stages[i].Best is not { } best)
            {
                continue;
            }

            foreach (int k in book.Stages[i].Definition.FreeIndices)
            {
                values[k] = best.Params[k];
            }
        }

        return values;
    }
}
