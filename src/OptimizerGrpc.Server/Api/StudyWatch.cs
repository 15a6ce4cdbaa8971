using Grpc.Core;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Server.Engine;
using OptimizerGrpc.Server.Api.Mapping;

namespace OptimizerGrpc.Server.Api;

/// <summary>One WatchStudy call: the study's <see cref="StudyEventFeed"/> after the requested sequence, as wire events.</summary>
internal sealed class StudyWatch(StudyRegistry registry, StudyRuntime runtime)
{
    public async Task RunAsync(WatchStudyRequest request, IServerStreamWriter<WatchStudyResponse> stream, CancellationToken ct)
    {
        await foreach (var e in StudyEventFeed.ReadAsync(registry, runtime, request.AfterSequence, request.IncludeTrials, ct))
        {
            await stream.WriteAsync(new WatchStudyResponse { Event = EventMapper.ToProto(e) }, ct);
        }
    }
}
