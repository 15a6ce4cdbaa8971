using System.Diagnostics;
using Grpc.Core;
using OptimizerGrpc.Client;

namespace OptimizerGrpc.Optimization;

/// <summary>One run: create the study, serve it with a local worker while watching its events, collect the result.</summary>
internal sealed class OptimizationRun(OptimizerClient client, OptimizationManager manager)
{
    public async Task<OptimizationResult> ExecuteAsync(
        RunRequest request, StudyDefinition study, long? budget, Func<TrialInfo, TrialOutcome> evaluate, RunOptions options, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        string studyId;
        try
        {
            var created = (await client.CreateStudyAsync(study, cancellationToken: ct).ConfigureAwait(false)).Study;
            studyId = created.StudyId;

            // The server knows each stage's size (hierarchical: outer x inner; walk-forward: windows x (grid + 1)).
            var searched = created.Stages.Where(s => s.State != StageState.Skipped).ToList();
            if (searched.Count > 0 && searched.All(s => s.PlannedTrials > 0))
            {
                budget = searched.Sum(s => s.PlannedTrials);
            }
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
        {
            throw new SequenceNotSupportedException(request.Sequence, e.Status.Detail, e);
        }

        manager.RaiseStarted(new OptimizationStartedEventArgs(studyId, request.Sequence, request.Targets, budget));
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var watch = WatchAsync(studyId, watching.Token);
        var worker = new OptimizerWorker(client, [studyId], (trial, _) => Task.FromResult(evaluate(trial)),
            new WorkerOptions { Capacity = options.Workers });
        try
        {
            await worker.RunAsync(ct).ConfigureAwait(false);

            // The watch stream ends when the study does; give it a moment to deliver the last events.
            await watch.WaitAsync(TimeSpan.FromSeconds(5), ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The events were delivered or are late; the result below does not depend on them.
        }
        finally
        {
            await watching.CancelAsync().ConfigureAwait(false);
        }

        // Fail loudly: a study that failed (its failure budget) or completed nothing has no result to give.
        var finished = await client.GetStudyAsync(studyId, ct).ConfigureAwait(false);
        if (finished.State == StudyState.Failed || (finished.Counts.Completed == 0 && finished.Counts.Failed + finished.Counts.Infeasible > 0))
        {
            throw new OptimizationFailedException(finished);
        }

        // The analysis comes with the result, in one call; it reads the study's stored trials once they are all in.
        var result = await client.GetStudyResultAsync(studyId, options.IncludeAnalysis, options.AnalysisSettings, ct).ConfigureAwait(false);
        return ResultMapper.ToResult(request.Sequence, result, clock.Elapsed);
    }

    /// <summary>The trial with its parameters named as in the spec ("target.rule.parameter"), not as on the wire.</summary>
    private static TrialInfo SpecNames(TrialInfo trial) =>
        trial with { Params = trial.Params.ToDictionary(p => Names.FromWire(p.Key), p => p.Value, StringComparer.Ordinal) };

    private async Task WatchAsync(string studyId, CancellationToken ct)
    {
        long finished = 0;
        try
        {
            await foreach (var e in client.WatchStudyAsync(studyId, includeTrials: true, cancellationToken: ct).ConfigureAwait(false))
            {
                if (e.Kind == StudyEventKind.StageStarted && e.Stage is { } stage)
                {
                    manager.RaiseStageStarted(new StageStartedEventArgs(stage));
                }
                else if (e.Kind == StudyEventKind.TrialFinished && e.Trial is { } trial)
                {
                    manager.RaiseTrialCompleted(new TrialCompletedEventArgs(SpecNames(trial), ++finished));
                }
                else if (e.Kind == StudyEventKind.NewBest && e.Trial is { } best)
                {
                    manager.RaiseNewBest(new NewBestEventArgs(SpecNames(best), e.StageId ?? best.StageId, best.ObjectiveValues.Count > 0 ? best.ObjectiveValues[0] : double.NaN));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
        {
            // The run ended.
        }
    }
}
