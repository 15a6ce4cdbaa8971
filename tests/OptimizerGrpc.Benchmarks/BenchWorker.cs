using OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Benchmarks;

/// <summary>
/// A lean Work-stream worker for throughput runs: answers each assignment message with one batched results
/// message (a trivial objective unless <paramref name="outcomeOf"/> builds the outcome), counts accepted acks, and
/// ends when the study is done and every result is acknowledged, or when cancelled.
/// </summary>
internal sealed class BenchWorker(
    OptimizerService.OptimizerServiceClient client, string workerId, string studyId, int capacity, Func<Trial, TrialOutcome>? outcomeOf = null)
{
    private static long s_accepted;

    public static long Accepted => Interlocked.Read(ref s_accepted);

    public static void ResetAccepted() => Interlocked.Exchange(ref s_accepted, 0);

    public long NotAccepted { get; private set; }

    public async Task RunAsync(CancellationToken ct)
    {
        using var call = client.Work(cancellationToken: ct);
        var hello = new WorkerHello { WorkerId = workerId, Capacity = capacity };
        hello.StudyIds.Add(studyId);
        await call.RequestStream.WriteAsync(new WorkRequest { Hello = hello }, ct);
        long outstanding = 0;
        bool done = false;
        while (await call.ResponseStream.MoveNext(ct))
        {
            var response = call.ResponseStream.Current;
            switch (response.KindCase)
            {
                case WorkResponse.KindOneofCase.Assignments:
                    var results = new TrialResults();
                    foreach (var a in response.Assignments.Assignments)
                    {
                        var trial = a.Trial;
                        var outcome = outcomeOf is null ? Quadratic(trial) : outcomeOf(trial);
                        results.Results.Add(new TrialResult { StudyId = trial.StudyId, TrialNumber = trial.Number, Attempt = trial.Attempt, Outcome = outcome });
                    }

                    outstanding += results.Results.Count;
                    await call.RequestStream.WriteAsync(new WorkRequest { Results = results }, ct);
                    break;
                case WorkResponse.KindOneofCase.Acks:
                    int accepted = 0;
                    foreach (var ack in response.Acks.Acks)
                    {
                        if (ack.Status == TellStatus.Accepted)
                        {
                            accepted++;
                        }
                    }

                    outstanding -= response.Acks.Acks.Count;
                    NotAccepted += response.Acks.Acks.Count - accepted;
                    Interlocked.Add(ref s_accepted, accepted);
                    break;
                case WorkResponse.KindOneofCase.StudyDone:
                    done = true;
                    break;
                default:
                    break;
            }

            if (done && outstanding == 0)
            {
                await call.RequestStream.CompleteAsync();
                return;
            }
        }
    }

    /// <summary>y = −Σ (x − 0.3)² over the trial's float parameters.</summary>
    private static TrialOutcome Quadratic(Trial trial)
    {
        double y = 0;
        foreach (var p in trial.Params.Values)
        {
            double d = p.FloatValue - 0.3;
            y -= d * d;
        }

        var outcome = new TrialOutcome();
        outcome.Values.Add("y", y);
        return outcome;
    }
}
