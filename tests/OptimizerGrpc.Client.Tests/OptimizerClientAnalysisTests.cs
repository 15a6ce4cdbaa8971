using Grpc.Core;
using OptimizerGrpc.Client.Tests.Internal;
using V1 = OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Client.Tests;

/// <summary>The analysis calls against a recording invoker: what goes on the wire, and what comes back.</summary>
public sealed class OptimizerClientAnalysisTests
{
    [Fact]
    public async Task AnalyzeStudyAsync_WithSettings_SendsThemAndMapsTheAnswer()
    {
        var invoker = new RecordingInvoker(_ => new V1.AnalyzeStudyResponse { Analysis = new V1.StudyAnalysis { Stages = { AnalysisMessages.Stage() } } });
        using var client = new OptimizerClient(invoker);

        var analysis = await client.AnalyzeStudyAsync("s1", new AnalysisSettings { PboBlocks = 8 });

        var request = Assert.IsType<V1.AnalyzeStudyRequest>(Assert.Single(invoker.Requests));
        Assert.Equal(("s1", 8, false), (request.StudyId, request.Options.PboBlocks, request.Options.HasBins));
        Assert.Equal("ma.slow", analysis.Stages[0].Importance[0].Parameter);
    }

    [Fact]
    public async Task AnalyzeStudyAsync_NoSettings_SendsNoOptions()
    {
        var invoker = new RecordingInvoker(_ => new V1.AnalyzeStudyResponse());
        using var client = new OptimizerClient(invoker);

        var analysis = await client.AnalyzeStudyAsync("s1");

        Assert.Null(Assert.IsType<V1.AnalyzeStudyRequest>(Assert.Single(invoker.Requests)).Options);
        Assert.Empty(analysis.Stages);
    }

    [Fact]
    public async Task AnalyzeStudyAsync_UnknownStudy_SurfacesTheServersNotFound()
    {
        var invoker = new RecordingInvoker(_ => throw new RpcException(new Status(StatusCode.NotFound, "study 'nope' not found")));
        using var client = new OptimizerClient(invoker);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.AnalyzeStudyAsync("nope"));

        Assert.Equal((StatusCode.NotFound, "study 'nope' not found"), (ex.StatusCode, ex.Status.Detail));
    }

    [Fact]
    public async Task GetStudyResultAsync_IncludeAnalysis_AsksForItAndExposesIt()
    {
        var invoker = new RecordingInvoker(_ => new V1.GetStudyResultResponse
        {
            Result = new V1.StudyResult { Study = new V1.Study { StudyId = "s1" }, Analysis = new V1.StudyAnalysis { Stages = { AnalysisMessages.Stage() } } },
        });
        using var client = new OptimizerClient(invoker);

        var result = await client.GetStudyResultAsync("s1", includeAnalysis: true, new AnalysisSettings { RobustTop = 3 });
        await client.GetStudyResultAsync("s1");

        var asked = Assert.IsType<V1.GetStudyResultRequest>(invoker.Requests[0]);
        Assert.Equal((true, 3), (asked.IncludeAnalysis, asked.AnalysisOptions.RobustTop));
        var plain = Assert.IsType<V1.GetStudyResultRequest>(invoker.Requests[1]);
        Assert.Equal((false, (V1.AnalysisOptions?)null), (plain.IncludeAnalysis, plain.AnalysisOptions));
        Assert.Equal(0.75, result.Analysis!.Stages[0].Importance[0].Importance);
    }

    /// <summary>Answers unary calls with <paramref name="respond"/> (which may throw an <see cref="RpcException"/>) and keeps the requests.</summary>
    private sealed class RecordingInvoker(Func<object, object> respond) : CallInvoker
    {
        public List<object> Requests { get; } = [];

        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
            Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
        {
            Requests.Add(request);
            Task<TResponse> response;
            try
            {
                response = Task.FromResult((TResponse)respond(request));
            }
            catch (RpcException e)
            {
                response = Task.FromException<TResponse>(e);
            }

            return new AsyncUnaryCall<TResponse>(response, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
        }

        public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
            throw new NotSupportedException();

        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
            Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw new NotSupportedException();

        public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(
            Method<TRequest, TResponse> method, string? host, CallOptions options) => throw new NotSupportedException();

        public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
            Method<TRequest, TResponse> method, string? host, CallOptions options) => throw new NotSupportedException();
    }
}
