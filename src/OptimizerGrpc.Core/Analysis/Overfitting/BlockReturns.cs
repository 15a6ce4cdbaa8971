using System.Buffers.Binary;

namespace OptimizerGrpc.Core.Analysis.Overfitting;

/// <summary>
/// A trial's per-period returns cut into S consecutive blocks of (nearly) equal length, each kept as its
/// <see cref="ReturnSums"/>: the compact summary the combinatorially symmetric cross-validation of
/// <see cref="BacktestOverfitting"/> needs, and enough for the exact Sharpe ratio, skewness and kurtosis of any union
/// of blocks. Block b covers the returns at indices [⌊b·T/S⌋, ⌊(b+1)·T/S⌋), so block lengths differ by at most one
/// and the longer blocks come last. Every block holds at least 2 returns, so every union has a sample standard
/// deviation. Serialized it takes <see cref="SerializedSizeOf"/> = 2 + 36·S bytes (578 for S = 16, 866 at most).
/// </summary>
public sealed class BlockReturns
{
    /// <summary>The fewest blocks, 2.</summary>
    public const int MinBlockCount = 2;

    /// <summary>The most blocks, 24: C(24, 12) ≈ 2.7 million cross-validation splits, and 866 bytes serialized.</summary>
    public const int MaxBlockCount = 24;

    /// <summary>The version byte <see cref="ToBytes"/> writes first.</summary>
    public const byte FormatVersion = 1;

    // Per block: the count as a 32-bit integer, then Σr, Σr², Σr³, Σr⁴ as IEEE doubles, all little-endian.
    private const int HeaderSize = 2;
    private const int BlockSize = sizeof(int) + (4 * sizeof(double));

    private readonly ReturnSums[] _blocks;

    private BlockReturns(ReturnSums[] blocks)
    {
        _blocks = blocks;
        foreach (var block in blocks)
        {
            Total += block;
        }
    }

    /// <summary>S, the number of blocks.</summary>
    public int BlockCount => _blocks.Length;

    /// <summary>The sums over the whole series.</summary>
    public ReturnSums Total { get; }

    /// <summary>The number of bytes <see cref="ToBytes"/> writes.</summary>
    public int SerializedSize => SerializedSizeOf(BlockCount);

    /// <summary>The sums of block <paramref name="index"/>, 0 ≤ index &lt; S.</summary>
    public ReturnSums this[int index] => _blocks[index];

    public static int SerializedSizeOf(int blockCount) => HeaderSize + (blockCount * BlockSize);

    /// <summary>Cuts <paramref name="returns"/> into <paramref name="blockCount"/> blocks (2 to 24, 16 by default);
    /// the series needs at least 2 returns per block.</summary>
    public static BlockReturns FromReturns(ReadOnlySpan<double> returns, int blockCount = 16)
    {
        CheckBlockCount(blockCount, nameof(blockCount));
        if (returns.Length < 2 * blockCount)
        {
            throw new ArgumentException(
                $"{blockCount} blocks need at least {2 * blockCount} returns (2 per block); got {returns.Length}.", nameof(returns));
        }

        var blocks = new ReturnSums[blockCount];
        for (int b = 0; b < blockCount; b++)
        {
            int start = (int)((long)b * returns.Length / blockCount);
            int end = (int)((long)(b + 1) * returns.Length / blockCount);
            blocks[b] = ReturnSums.FromReturns(returns[start..end]);
            CheckBlock(blocks[b], b, nameof(returns));
        }

        return new(blocks);
    }

    /// <summary>Blocks given by their sums, in time order; each with a count of at least 2 and finite sums.</summary>
    public static BlockReturns FromBlocks(IEnumerable<ReturnSums> blocks)
    {
        var array = blocks.ToArray();
        CheckBlockCount(array.Length, nameof(blocks));
        for (int b = 0; b < array.Length; b++)
        {
            CheckBlock(array[b], b, nameof(blocks));
        }

        return new(array);
    }

    /// <summary>The sums of the blocks whose bits are set in <paramref name="blockMask"/> (bit b = block b).</summary>
    public ReturnSums Union(int blockMask)
    {
        if (blockMask <= 0 || blockMask >= 1 << BlockCount)
        {
            throw new ArgumentOutOfRangeException(nameof(blockMask), blockMask, $"The mask must select some of the {BlockCount} blocks: in the range [1, {(1 << BlockCount) - 1}].");
        }

        var sums = ReturnSums.Empty;
        for (int b = 0; b < BlockCount; b++)
        {
            if ((blockMask & (1 << b)) != 0)
            {
                sums += _blocks[b];
            }
        }

        return sums;
    }

    /// <summary>Per-period Sharpe ratio (risk-free 0) of the union of the blocks in <paramref name="blockMask"/>,
    /// exactly as if computed on those blocks' returns concatenated.</summary>
    public double SharpeRatio(int blockMask) => Union(blockMask).SharpeRatio();

    /// <summary>Version byte, block count byte, then per block its count and four power sums (little-endian).</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[SerializedSize];
        bytes[0] = FormatVersion;
        bytes[1] = (byte)BlockCount;
        var span = bytes.AsSpan(HeaderSize);
        foreach (var block in _blocks)
        {
            BinaryPrimitives.WriteInt32LittleEndian(span, block.Count);
            BinaryPrimitives.WriteDoubleLittleEndian(span[4..], block.Sum);
            BinaryPrimitives.WriteDoubleLittleEndian(span[12..], block.SumOfSquares);
            BinaryPrimitives.WriteDoubleLittleEndian(span[20..], block.SumOfCubes);
            BinaryPrimitives.WriteDoubleLittleEndian(span[28..], block.SumOfFourthPowers);
            span = span[BlockSize..];
        }

        return bytes;
    }

    /// <summary>Reads what <see cref="ToBytes"/> wrote; throws <see cref="ArgumentException"/> on an unknown version,
    /// a length that does not match the block count, or blocks that <see cref="FromBlocks"/> would refuse.</summary>
    public static BlockReturns FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderSize || bytes[0] != FormatVersion)
        {
            throw new ArgumentException($"Not a block-returns summary of version {FormatVersion}.", nameof(bytes));
        }

        int blockCount = bytes[1];
        CheckBlockCount(blockCount, nameof(bytes));
        if (bytes.Length != SerializedSizeOf(blockCount))
        {
            throw new ArgumentException($"{blockCount} blocks take {SerializedSizeOf(blockCount)} bytes; got {bytes.Length}.", nameof(bytes));
        }

        var blocks = new ReturnSums[blockCount];
        var span = bytes[HeaderSize..];
        for (int b = 0; b < blockCount; b++)
        {
            blocks[b] = new(
                BinaryPrimitives.ReadInt32LittleEndian(span),
                BinaryPrimitives.ReadDoubleLittleEndian(span[4..]),
                BinaryPrimitives.ReadDoubleLittleEndian(span[12..]),
                BinaryPrimitives.ReadDoubleLittleEndian(span[20..]),
                BinaryPrimitives.ReadDoubleLittleEndian(span[28..]));
            CheckBlock(blocks[b], b, nameof(bytes));
            span = span[BlockSize..];
        }

        return new(blocks);
    }

    private static void CheckBlockCount(int blockCount, string paramName)
    {
        if (blockCount is < MinBlockCount or > MaxBlockCount)
        {
            throw new ArgumentOutOfRangeException(paramName, blockCount, $"The block count must be in the range [{MinBlockCount}, {MaxBlockCount}].");
        }
    }

    private static void CheckBlock(ReturnSums block, int index, string paramName)
    {
        if (block.Count < 2 || !double.IsFinite(block.Sum) || !double.IsFinite(block.SumOfSquares)
            || !double.IsFinite(block.SumOfCubes) || !double.IsFinite(block.SumOfFourthPowers))
        {
            throw new ArgumentException($"Block {index} must hold at least 2 returns with finite sums; got {block}.", paramName);
        }
    }
}
