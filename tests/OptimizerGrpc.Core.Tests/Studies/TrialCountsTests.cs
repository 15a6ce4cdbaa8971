using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Core.Tests.Studies;

public sealed class TrialCountsTests
{
    [Fact]
    public void Add_EachFinalState_CountedInItsField()
    {
        var counts = new TrialCounts { Pending = 4, Running = 2 };

        counts.Add(TrialState.Completed);
        counts.Add(TrialState.Completed);
        counts.Add(TrialState.Infeasible);
        counts.Add(TrialState.Failed);
        counts.Add(TrialState.Pruned);

        Assert.Equal((2L, 1L, 1L, 1L), (counts.Completed, counts.Infeasible, counts.Failed, counts.Pruned));
        Assert.Equal(5, counts.Finished); // 2 + 1 + 1 + 1; pending and running are not finished
    }

    [Theory]
    [InlineData(TrialState.Pending)]
    [InlineData(TrialState.Running)]
    public void Add_NotAFinalState_Throws(TrialState state)
    {
        var counts = default(TrialCounts);

        Assert.Throws<ArgumentOutOfRangeException>(() => counts.Add(state));
    }

    [Fact]
    public void WriteThenRead_AllCounts_RoundTrip()
    {
        var counts = new TrialCounts { Pending = 1, Running = 2, Completed = 3, Infeasible = 4, Failed = 5, Pruned = long.MaxValue };
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            counts.Write(writer);
        }

        stream.Position = 0;
        using var reader = new BinaryReader(stream);

        Assert.Equal(counts, TrialCounts.Read(reader));
        Assert.Equal(48, stream.Length); // six 8-byte counts
    }
}
