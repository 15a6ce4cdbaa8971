using Grpc.Core;

namespace OptimizerGrpc.Client.Tests.Internal;

public sealed class TransientErrorsTests
{
    [Theory]
    [InlineData(StatusCode.Unavailable, true)]
    [InlineData(StatusCode.Internal, true)]
    [InlineData(StatusCode.Cancelled, true)]
    [InlineData(StatusCode.NotFound, false)]
    [InlineData(StatusCode.InvalidArgument, false)]
    public void IsTransient_ByStatusCode(StatusCode code, bool expected)
    {
        Assert.Equal(expected, TransientErrors.IsTransient(new RpcException(new Status(code, "x")), CancellationToken.None));
    }

    [Fact]
    public void IsTransient_CancelledByCaller_IsNot()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.False(TransientErrors.IsTransient(new RpcException(new Status(StatusCode.Cancelled, "x")), cts.Token));
    }

    [Fact]
    public void Backoff_GrowsAndCaps()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(1000));

        var delays = Enumerable.Range(0, 8).Select(_ => backoff.Next().TotalMilliseconds).ToArray();

        Assert.InRange(delays[0], 50, 100);
        Assert.InRange(delays[3], 400, 800);
        Assert.All(delays[4..], d => Assert.InRange(d, 500, 1000));
        backoff.Reset();
        Assert.InRange(backoff.Next().TotalMilliseconds, 50, 100);
    }
}
