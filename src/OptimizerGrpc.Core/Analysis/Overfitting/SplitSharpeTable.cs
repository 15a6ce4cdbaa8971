using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OptimizerGrpc.Core.Analysis.Overfitting;

/// <summary>
/// The trials' block sums laid out for CSCV's inner loop: row b holds every trial's Σr (and Σr²) of block b, so that a
/// split's in-sample sums stream through S/2 contiguous rows in vector-wide steps, and its out-of-sample sums are the
/// totals minus those. Block lengths are the same for every trial, so a union's length is one number.
/// </summary>
internal sealed class SplitSharpeTable
{
    private readonly int _trials;
    private readonly int _blocks;
    private readonly double[] _blockLength;
    private readonly double _totalLength;
    private readonly double[] _sum;
    private readonly double[] _squares;
    private readonly double[] _totalSum;
    private readonly double[] _totalSquares;

    public SplitSharpeTable(IReadOnlyList<BlockReturns> trials, int blocks)
    {
        (_trials, _blocks) = (trials.Count, blocks);
        (_sum, _squares) = (new double[blocks * _trials], new double[blocks * _trials]);
        (_totalSum, _totalSquares) = (new double[_trials], new double[_trials]);
        _blockLength = new double[blocks];
        for (int b = 0; b < blocks; b++)
        {
            _blockLength[b] = trials[0][b].Count;
            _totalLength += _blockLength[b];
        }

        for (int i = 0; i < _trials; i++)
        {
            for (int b = 0; b < blocks; b++)
            {
                var block = trials[i][b];
                (_sum[(b * _trials) + i], _squares[(b * _trials) + i]) = (block.Sum, block.SumOfSquares);
            }

            (_totalSum[i], _totalSquares[i]) = (trials[i].Total.Sum, trials[i].Total.SumOfSquares);
        }
    }

    /// <summary>Fills the workspace with every trial's Sharpe ratio on the blocks of the mask (InSample) and on the
    /// others (OutOfSample).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Fill(int mask, Workspace workspace)
    {
        var sum = workspace.Sum;
        var squares = workspace.Squares;
        double count = 0;
        bool first = true;
        for (int b = 0; b < _blocks; b++)
        {
            if ((mask & (1 << b)) == 0)
            {
                continue;
            }

            count += _blockLength[b];
            if (first)
            {
                Row(_sum, b).CopyTo(sum);
                Row(_squares, b).CopyTo(squares);
                first = false;
            }
            else
            {
                AddTo(sum, Row(_sum, b));
                AddTo(squares, Row(_squares, b));
            }
        }

        SharpeRatios(count, sum, squares, workspace.InSample);
        Subtract(_totalSum, sum);
        Subtract(_totalSquares, squares);
        SharpeRatios(_totalLength - count, sum, squares, workspace.OutOfSample);
    }

    private ReadOnlySpan<double> Row(double[] values, int block) => values.AsSpan(block * _trials, _trials);

    // ReturnSums.SharpeFromSums for every trial, operation for operation (so bit for bit), a flat union's NaN as 0.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SharpeRatios(double count, double[] sum, double[] squares, double[] sharpe)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var n = new Vector<double>(count);
            var nMinus1 = new Vector<double>(count - 1);
            for (; i <= sum.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                var s1 = new Vector<double>(sum, i);
                var mean = s1 / n;
                var variance = Vector.Max(Vector<double>.Zero, (new Vector<double>(squares, i) - (s1 * mean)) / nMinus1);
                var ratio = mean / Vector.SquareRoot(variance);
                Vector.ConditionalSelect(Vector.Equals(ratio, ratio), ratio, Vector<double>.Zero).CopyTo(sharpe, i);
            }
        }

        for (; i < sum.Length; i++)
        {
            double ratio = ReturnSums.SharpeFromSums(count, sum[i], squares[i]);
            sharpe[i] = double.IsNaN(ratio) ? 0 : ratio;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddTo(double[] target, ReadOnlySpan<double> row)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var targetVectors = MemoryMarshal.Cast<double, Vector<double>>(target.AsSpan());
            var rowVectors = MemoryMarshal.Cast<double, Vector<double>>(row);
            for (int v = 0; v < targetVectors.Length; v++)
            {
                targetVectors[v] += rowVectors[v];
            }

            i = targetVectors.Length * Vector<double>.Count;
        }

        for (; i < target.Length; i++)
        {
            target[i] += row[i];
        }
    }

    // target = total − target.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Subtract(double[] total, double[] target)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var totalVectors = MemoryMarshal.Cast<double, Vector<double>>(total.AsSpan());
            var targetVectors = MemoryMarshal.Cast<double, Vector<double>>(target.AsSpan());
            for (int v = 0; v < targetVectors.Length; v++)
            {
                targetVectors[v] = totalVectors[v] - targetVectors[v];
            }

            i = targetVectors.Length * Vector<double>.Count;
        }

        for (; i < target.Length; i++)
        {
            target[i] = total[i] - target[i];
        }
    }

    // One per worker thread, so that the loop over splits allocates nothing.
    public sealed class Workspace(int trials)
    {
        public double[] Sum { get; } = new double[trials];

        public double[] Squares { get; } = new double[trials];

        public double[] InSample { get; } = new double[trials];

        public double[] OutOfSample { get; } = new double[trials];
    }
}
