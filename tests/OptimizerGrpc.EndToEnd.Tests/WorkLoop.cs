using Grpc.Core;
using OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Testing;

/// <summary>An acknowledged result: what the worker reported and what the server answered.</summary>
public readonly record struct AckRecord(string StudyId, long TrialNumber, int Attempt, TellStatus Status, double Value);

/// <summary>
/// A worker over the Work stream: evaluates every assignment at once, answers each assignment message with one
/// batched results message, keeps results until they are acknowledged, and on a broken stream reconnects to
/// whatever server <paramref name="connect"/> returns and re-sends the unacknowledged results.
/// </summary>
public sealed class WorkLoop(
    string workerId,
    string studyId,
    int capacity,
    Func<Trial, double> objective,
    Func<CancellationToken, Task<OptimizerService.OptimizerServiceClient>> connect,
    Action<AckRecord>? onAck = null)
{
    private readonly Dictionary<(long Number, int Attempt), TrialResult> _unacked = [];

    public long Assigned { get; private set; }

    public long Acked { get; private set; }

    public int Reconnects { get; private set; }

    /// <summary>Runs until the study is done and every result has been acknowledged.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var client = await connect(ct);
            try
            {
                if (await RunStreamAsync(client, ct))
                {
                    return;
                }
            }
            catch (RpcException ex) when (!ct.IsCancellationRequested && ex.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown or StatusCode.Cancelled)
            {
                // The server went away; reconnect (connect waits for the next one).
            }
            catch (IOException) when (!ct.IsCancellationRequested)
            {
            }
            catch (HttpRequestException) when (!ct.IsCancellationRequested)
            {
            }

            Reconnects++;
            await Task.Delay(50, ct);
        }
    }

    private async Task<bool> RunStreamAsync(OptimizerService.OptimizerServiceClient client, CancellationToken ct)
    {
        using var call = client.Work(cancellationToken: ct);
        var hello = new WorkerHello { WorkerId = workerId, Capacity = capacity };
        hello.StudyIds.Add(studyId);
        await call.RequestStream.WriteAsync(new WorkRequest { Hello = hello }, ct);
        if (_unacked.Count > 0)
        {
            var resend = new TrialResults();
            resend.Results.AddRange(_unacked.Values);
            await call.RequestStream.WriteAsync(new WorkRequest { Results = resend }, ct);
        }

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
                        Assigned++;
                        var trial = a.Trial;
                        var result = new TrialResult
                        {
                            StudyId = trial.StudyId,
                            TrialNumber = trial.Number,
                            Attempt = trial.Attempt,
                            Outcome = new TrialOutcome(),
                        };
                        result.Outcome.Values.Add("y", objective(trial));
                        _unacked[(trial.Number, trial.Attempt)] = result;
                        results.Results.Add(result);
                    }

                    await call.RequestStream.WriteAsync(new WorkRequest { Results = results }, ct);
                    break;
                case WorkResponse.KindOneofCase.Acks:
                    foreach (var ack in response.Acks.Acks)
                    {
                        var key = (ack.Trial.TrialNumber, ack.Trial.Attempt);
                        double value = _unacked.Remove(key, out var r) ? r.Outcome.Values["y"] : double.NaN;
                        Acked++;
                        onAck?.Invoke(new AckRecord(ack.Trial.StudyId, ack.Trial.TrialNumber, ack.Trial.Attempt, ack.Status, value));
                    }

                    break;
                case WorkResponse.KindOneofCase.StudyDone:
                    done = true;
                    break;
                default:
                    break;
            }

            if (done && _unacked.Count == 0)
            {
                await call.RequestStream.CompleteAsync();
                return true;
            }
        }

        // The server ended the stream without saying the study is done.
        return done && _unacked.Count == 0;
    }
}
