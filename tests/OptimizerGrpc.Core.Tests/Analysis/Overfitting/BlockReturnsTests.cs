using OptimizerGrpc.Core.Analysis.Overfitting;
using OptimizerGrpc.Core.Randomness;

namespace OptimizerGrpc.Core.Tests.Analysis.Overfitting;

public sealed class BlockReturnsTests
{
    [Fact]
    public void FromReturns_UnevenLength_CutsAtFloorOfBTimesTOverS()
    {
        // T = 10, S = 4: boundaries ⌊b·10/4⌋ = 0, 2, 5, 7, 10.
        double[] returns = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

        var blocks = BlockReturns.FromReturns(returns, blockCount: 4);

        Assert.Equal([2, 3, 2, 3], Enumerable.Range(0, 4).Select(b => blocks[b].Count));
        Assert.Equal([3.0, 12, 13, 27], Enumerable.Range(0, 4).Select(b => blocks[b].Sum));
        Assert.Equal(ReturnSums.FromReturns(returns), blocks.Total);
    }

    [Fact]
    public void SharpeRatio_AnyUnion_EqualsSharpeOfConcatenatedReturns()
    {
        var rng = new Xoshiro256StarStar(7);
        double[] returns = Enumerable.Range(0, 1003).Select(_ => 0.0004 + (0.01 * rng.NextGaussian())).ToArray();
        var blocks = BlockReturns.FromReturns(returns, blockCount: 16);

        for (int trial = 0; trial < 200; trial++)
        {
            int mask = 1 + (int)(rng.NextUInt64() % ((1 << 16) - 1));
            var concatenated = Enumerable.Range(0, 16)
                .Where(b => (mask & (1 << b)) != 0)
                .SelectMany(b => returns[(b * 1003 / 16)..((b + 1) * 1003 / 16)])
                .ToArray();
            var direct = ReturnMoments.FromReturns(concatenated);
            var pooled = ReturnMoments.FromSums(blocks.Union(mask));

            Assert.Equal(direct.SharpeRatio(), blocks.SharpeRatio(mask), 1e-12);
            Assert.Equal(direct.Skewness, pooled.Skewness, 1e-9);
            Assert.Equal(direct.Kurtosis, pooled.Kurtosis, 1e-9);
        }
    }

    [Fact]
    public void ToBytes_SixteenBlocks_Takes578BytesAndRoundTripsExactly()
    {
        var rng = new Xoshiro256StarStar(11);
        double[] returns = Enumerable.Range(0, 500).Select(_ => rng.NextGaussian()).ToArray();
        var blocks = BlockReturns.FromReturns(returns);

        byte[] bytes = blocks.ToBytes();
        var copy = BlockReturns.FromBytes(bytes);

        Assert.Equal(578, bytes.Length);
        Assert.Equal(bytes.Length, blocks.SerializedSize);
        Assert.Equal(BlockReturns.FormatVersion, bytes[0]);
        Assert.Equal(16, copy.BlockCount);
        Assert.Equal(Enumerable.Range(0, 16).Select(b => blocks[b]), Enumerable.Range(0, 16).Select(b => copy[b]));
        Assert.True(BlockReturns.SerializedSizeOf(BlockReturns.MaxBlockCount) <= 1024);
    }

    [Fact]
    public void FromBytes_UnknownVersionOrWrongLength_Throws()
    {
        byte[] bytes = BlockReturns.FromReturns(new double[40], blockCount: 4).ToBytes();
        byte[] otherVersion = (byte[])bytes.Clone();
        otherVersion[0] = 2;

        Assert.Contains("version 1", Assert.Throws<ArgumentException>(() => BlockReturns.FromBytes(otherVersion)).Message);
        Assert.Contains("take 146 bytes", Assert.Throws<ArgumentException>(() => BlockReturns.FromBytes(bytes.AsSpan(0, 100))).Message);
    }

    [Fact]
    public void FromReturns_FewerThanTwoReturnsPerBlock_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => BlockReturns.FromReturns(new double[31], blockCount: 16));

        Assert.Contains("at least 32 returns", error.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(25)]
    public void FromReturns_BlockCountOutOfRange_StatesTheRange(int blockCount)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => BlockReturns.FromReturns(new double[100], blockCount));

        Assert.Contains("[2, 24]", error.Message);
    }

    [Fact]
    public void FromBlocks_BlockWithOneReturn_Throws()
    {
        var error = Assert.Throws<ArgumentException>(
            () => BlockReturns.FromBlocks([new ReturnSums(3, 1, 1, 1, 1), new ReturnSums(1, 1, 1, 1, 1)]));

        Assert.Contains("Block 1", error.Message);
    }
}
