using OptimizerGrpc.Server.Engine;

namespace OptimizerGrpc.Server.Tests.Engine;

public sealed class LeaseHolderTests
{
    [Theory]
    [InlineData("", "w1", "w1")]
    [InlineData("alice", "w1", "alice/w1")]
    [InlineData("alice", "", "alice/")]
    public void Qualify(string caller, string worker, string expected) => Assert.Equal(expected, LeaseHolder.Qualify(caller, worker));

    [Theory]
    [InlineData("w1", "", true)] // no authentication, no worker id: any lease
    [InlineData("w1", "w1", true)]
    [InlineData("w1", "w2", false)] // another worker id
    [InlineData("alice/w1", "alice/w1", true)]
    [InlineData("alice/w1", "alice/", true)] // alice's tell that names no worker
    [InlineData("alice/w1", "alice/w2", false)]
    [InlineData("alice/w1", "bob/w1", false)] // another key, the same worker id
    [InlineData("alice/w1", "bob/", false)]
    [InlineData("alicex/w1", "alice/", false)] // a name that merely starts the same
    public void Matches(string holder, string claim, bool expected) => Assert.Equal(expected, LeaseHolder.Matches(holder, claim));
}
