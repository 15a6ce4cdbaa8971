using OptimizerGrpc.Core.Analysis.Overfitting;

namespace OptimizerGrpc.Core.Tests.Analysis.Overfitting;

public sealed class ScoredReturnsTests
{
    // Returns of bars 1..4: 10 / 8 - 1 = 0.25, 5 / 10 - 1 = -0.5, 5 / 5 - 1 = 0, 7.5 / 5 - 1 = 0.5 (all exact in binary).
    private static readonly double[] Equity = [8, 10, 5, 5, 7.5];

    // 41 points alternating 1, 2, 1, ...: the return of an odd bar is 2 / 1 - 1 = +1, of an even bar 1 / 2 - 1 = -0.5.
    private static readonly double[] Alternating = [.. Enumerable.Range(0, 41).Select(t => t % 2 == 0 ? 1.0 : 2.0)];

    [Fact]
    public void Of_NoSegments_EveryReturnOfTheRecord()
    {
        Assert.Equal([0.25, -0.5, 0, 0.5], ScoredReturns.Of(Equity, null));
    }

    [Fact]
    public void Of_AttributionSegments_ReturnsOfTheSegmentsBarsInOrder()
    {
        // [1, 3): bars 1 and 2; [4, 5): bar 4; bar 3 is left out.
        Assert.Equal([0.25, -0.5, 0.5], ScoredReturns.Of(Equity, [(1, 3), (4, 5)]));
    }

    [Fact]
    public void Of_SegmentFromBarZero_ClippedToBarOne()
    {
        // Bar 0 is the record's first point and has no return: [0, 2) gives bar 1 only.
        Assert.Equal([0.25], ScoredReturns.Of(Equity, [(0, 2)]));
    }

    [Fact]
    public void Of_SegmentPastTheEnd_ClippedToTheLastPoint()
    {
        // [3, 99): bars 3 and 4; [10, 20) lies wholly after the record.
        Assert.Equal([0, 0.5], ScoredReturns.Of(Equity, [(3, 99), (10, 20)]));
    }

    [Fact]
    public void Summarize_ThirtyOneReturns_Null()
    {
        Assert.Null(ScoredReturns.Summarize(Alternating[..32], null, null));
    }

    [Fact]
    public void Summarize_ThirtyTwoReturns_SixteenBlocksOfTwo()
    {
        var summary = ScoredReturns.Summarize(Alternating[..33], null, null);

        Assert.NotNull(summary);
        Assert.Equal(16, summary.Blocks.BlockCount);
        // Every block holds one odd and one even bar: +1 and -0.5. In all 16 × 1 - 16 × 0.5 = 8.
        Assert.All(Enumerable.Range(0, 16), b => Assert.Equal(new ReturnSums(2, 0.5, 1.25, 0.875, 1.0625), summary.Blocks[b]));
        Assert.Equal(new ReturnSums(32, 8, 20, 14, 17), summary.Blocks.Total);
        Assert.Null(summary.Regimes);
    }

    [Fact]
    public void Summarize_SegmentsWithFewerThanThirtyTwoReturns_Null()
    {
        // 40 returns in the record, but the segments score bars 1..31 only.
        Assert.Null(ScoredReturns.Summarize(Alternating, [(1, 20), (20, 32)], null));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(0.0)] // the next return divides by 0: +∞
    public void Summarize_NonFiniteReturn_Null(double point)
    {
        double[] equity = [.. Alternating];
        equity[10] = point;

        Assert.Null(ScoredReturns.Summarize(equity, null, null));
    }

    [Fact]
    public void Summarize_Regimes_PerRegimeSumsEqualHandSums()
    {
        IReadOnlyList<(long, long)>[] regimes = [[(1, 11)], [(11, 14), (20, 22)], [(38, 50)]];

        var summary = ScoredReturns.Summarize(Alternating, null, regimes);

        Assert.NotNull(summary);
        Assert.Equal(40, summary.Blocks.Total.Count);
        Assert.Equal(
            [
                // Bars 1..10: five odd (+1) and five even (-0.5): Σr = 5 - 2.5, Σr² = 5 + 1.25, Σr³ = 5 - 0.625, Σr⁴ = 5 + 0.3125.
                new ReturnSums(10, 2.5, 6.25, 4.375, 5.3125),
                // Bars 11, 12, 13, 20, 21: three odd, two even.
                new ReturnSums(5, 2, 3.5, 2.75, 3.125),
                // [38, 50) clipped to bars 38, 39, 40: one odd, two even.
                new ReturnSums(3, 0, 1.5, 0.75, 1.125),
            ],
            summary.Regimes!);
    }

    [Fact]
    public void ToBytes_WithRegimes_RoundTripsExactly()
    {
        var summary = ScoredReturns.Summarize(Alternating, null, [[(1, 11)], [(11, 14), (20, 22)], [(38, 50)]])!;

        var copy = TrialReturns.FromBytes(summary.ToBytes());

        Assert.Equal(Enumerable.Range(0, 16).Select(b => summary.Blocks[b]), Enumerable.Range(0, 16).Select(b => copy.Blocks[b]));
        Assert.Equal(summary.Regimes!, copy.Regimes!);
    }

    [Fact]
    public void ToBytes_WithoutRegimes_RoundTripsWithRegimesNull()
    {
        var summary = ScoredReturns.Summarize(Alternating, null, null)!;

        var copy = TrialReturns.FromBytes(summary.ToBytes());

        Assert.Equal(Enumerable.Range(0, 16).Select(b => summary.Blocks[b]), Enumerable.Range(0, 16).Select(b => copy.Blocks[b]));
        Assert.Null(copy.Regimes);
    }

    [Fact]
    public void ToBytes_NoRegimeInTheList_RoundTripsAsAnEmptyList()
    {
        var summary = ScoredReturns.Summarize(Alternating, null, [])!;

        Assert.Empty(TrialReturns.FromBytes(summary.ToBytes()).Regimes!);
    }

    [Fact]
    public void ToBytes_SixteenBlocksAndThreeRegimes_694Bytes()
    {
        var summary = ScoredReturns.Summarize(Alternating, null, [[(1, 11)], [(11, 14)], [(38, 50)]])!;

        // The blocks' length (4), the blocks (2 + 16 × 36 = 578), the regime count (4), per regime a count and four sums (36).
        Assert.Equal(4 + 578 + 4 + (3 * 36), summary.ToBytes().Length);
        Assert.Equal(4 + 578 + 4, (summary with { Regimes = null }).ToBytes().Length);
    }
}
