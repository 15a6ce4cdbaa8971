using Grpc.Core;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Server.Engine;
using OptimizerGrpc.Server.Api.Mapping;

namespace OptimizerGrpc.Server.Api;

/// <summary>
/// One WatchStudy call: subscribe to live events first, replay stored events after the requested sequence up to
/// the live point, then forward live events, skipping any already replayed. No event is missed or repeated.
/// </summary>
internal sealed class StudyWatch(StudyRegistry registry, StudyRuntime runtime)
{
    private const int ReplayPageSize = 1000;

    public async Task RunAsync(WatchStudyRequest request, IServerStreamWriter<WatchStudyResponse> stream, CancellationToken ct)
    {
        var watcher = registry.Events.Subscribe(runtime.StudyId, request.IncludeTrials);
        try
        {
            long sent = request.AfterSequence;
            long upTo = runtime.LastSequence;
            while (sent < upTo)
            {
                var page = await registry.Store.ReadEventsAsync(runtime.Key, runtime.StudyId, runtime.Plan, sent, upTo, ReplayPageSize, request.IncludeTrials, ct);
                if (page.Count == 0)
                {
                    break;
                }

                foreach (var e in page)
                {
                    await stream.WriteAsync(new WatchStudyResponse { Event = EventMapper.ToProto(e) }, ct);
                    sent = e.Sequence;
                    if (e.EndsStudy)
                    {
                        return;
                    }
                }

                if (page.Count < ReplayPageSize)
                {
                    break;
                }
            }

            // Commits happen in sequence order, so anything not replayed up to here arrives live, after 'sent'.
            await foreach (var e in watcher.Queue.Reader.ReadAllAsync(ct))
            {
                if (e.Sequence <= sent)
                {
                    continue;
                }

                await stream.WriteAsync(new WatchStudyResponse { Event = EventMapper.ToProto(e) }, ct);
                sent = e.Sequence;
                if (e.EndsStudy)
                {
                    return;
                }
            }
        }
        finally
        {
            registry.Events.Unsubscribe(watcher);
        }
    }
}
