using Google.Rpc;
using Grpc.Core;
using OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Server.Tests.Api;

/// <summary>What the validation tests check of a refusal: the BadRequest's field paths, and that nothing was stored.</summary>
internal static class ValidationAsserts
{
    public static List<string> Violations(RpcException ex) =>
        [.. (ex.GetRpcStatus()?.GetDetail<BadRequest>() ?? throw new InvalidOperationException("no BadRequest detail: " + ex.Status)).FieldViolations.Select(v => v.Field)];

    public static async Task NothingStoredAsync(TestServerHost host) =>
        Assert.Empty((await host.Client.ListStudiesAsync(new ListStudiesRequest())).Studies);
}
