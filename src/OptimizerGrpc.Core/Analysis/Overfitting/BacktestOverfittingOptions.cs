namespace OptimizerGrpc.Core.Analysis.Overfitting;

/// <summary>How <see cref="BacktestOverfitting"/> cross-validates.</summary>
/// <param name="BlockCount">S, the number of blocks each trial's returns are cut into: even, in [2, 24], 16 by default
/// (C(16, 8) = 12,870 splits). Every trial's <see cref="BlockReturns"/> must have this many blocks.</param>
/// <param name="HistogramBins">Bins of the logit histogram over [−ln N, ln N]: even, in [2, 200], 20 by default.
/// Even, so that 0 is an edge and the bins left of it hold exactly the overfit splits.</param>
public sealed record BacktestOverfittingOptions(int BlockCount = 16, int HistogramBins = 20)
{
    private readonly int _blockCount = CheckEven(BlockCount, BlockReturns.MinBlockCount, BlockReturns.MaxBlockCount, nameof(BlockCount));
    private readonly int _histogramBins = CheckEven(HistogramBins, 2, 200, nameof(HistogramBins));

    public static BacktestOverfittingOptions Default { get; } = new();

    public int BlockCount
    {
        get => _blockCount;
        init => _blockCount = CheckEven(value, BlockReturns.MinBlockCount, BlockReturns.MaxBlockCount, nameof(BlockCount));
    }

    public int HistogramBins
    {
        get => _histogramBins;
        init => _histogramBins = CheckEven(value, 2, 200, nameof(HistogramBins));
    }

    private static int CheckEven(int value, int min, int max, string paramName) =>
        value >= min && value <= max && value % 2 == 0
            ? value
            : throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must be even and in the range [{min}, {max}].");
}
