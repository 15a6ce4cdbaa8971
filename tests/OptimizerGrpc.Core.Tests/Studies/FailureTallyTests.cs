using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Core.Tests.Studies;

public sealed class FailureTallyTests
{
    [Fact]
    public void Top_CountsByFirstLine_MostFrequentFirst_TiesFirstSeenFirst()
    {
        var tally = new FailureTally();
        tally.Add("client error: KeyError: 'pnl'\nTraceback (most recent call last):\n  line 3");
        tally.Add("objective 'sharpe_ratio' is NaN");
        tally.Add("client error: KeyError: 'pnl'\r\nTraceback: line 9");
        tally.Add("lease expired");

        Assert.Equal(
            [new FailureCount("client error: KeyError: 'pnl'", 2), new FailureCount("objective 'sharpe_ratio' is NaN", 1), new FailureCount("lease expired", 1)],
            tally.Top(5));
        Assert.Equal(4, tally.Total);
        Assert.Single(tally.Top(1));
    }

    [Fact]
    public void Add_PastTheDistinctLimit_CountsAsOtherReasons_LongReasonsCut()
    {
        var tally = new FailureTally();
        for (int i = 0; i < FailureTally.MaxDistinct + 3; i++)
        {
            tally.Add($"reason {i}");
        }

        tally.Add(new string('x', 300));

        Assert.Equal(new FailureCount(FailureTally.OtherReasons, 4), tally.Top(1)[0]);
        Assert.Equal(256, FailureTally.KeyOf(new string('x', 300)).Length);
        Assert.Equal(255, FailureTally.KeyOf(new string('x', 255) + "\uD83D\uDE00").Length); // never half a surrogate pair
    }

    [Fact]
    public void WriteRead_RoundTrip_SameTally()
    {
        var tally = new FailureTally();
        tally.Add("a");
        tally.Add("b");
        tally.Add("b");
        using var stream = new MemoryStream();
        tally.Write(new BinaryWriter(stream));
        stream.Position = 0;

        var read = FailureTally.Read(new BinaryReader(stream));

        Assert.Equal(tally.Top(5), read.Top(5));
        Assert.Equal(3, read.Total);
    }
}
