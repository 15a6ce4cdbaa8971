namespace OptimizerGrpc.Trading;

/// <summary>
/// Fast scoring of many moving-average crossover settings on one series. Prefix sums and bar returns are
/// computed once; each (fast, slow) pair is then one O(n) pass with no allocation that reproduces
/// <see cref="MovingAverageCrossoverRule"/> + <see cref="Backtester"/> + <see cref="PerformanceStats"/>
/// (same positions bit for bit; statistics equal up to floating-point rounding).
/// </summary>
public sealed class MovingAverageSweep
{
    private readonly double[] _sums;
    private readonly double[] _returns;

    /// <summary>Prepares the sweep for <paramref name="close"/> (at least two bars).</summary>
    public MovingAverageSweep(ReadOnlySpan<double> close, double commission = 0, double annualizationFactor = 252)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(close.Length, 2, nameof(close));
        _ = new Backtester(commission: commission); // validates commission with the backtester's rules
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(annualizationFactor);
        _sums = PrefixSums.Compute(close);
        _returns = new double[close.Length - 1];
        for (var t = 0; t < _returns.Length; t++)
        {
            _returns[t] = (close[t + 1] / close[t]) - 1;
        }

        Commission = commission;
        AnnualizationFactor = annualizationFactor;
    }

    /// <summary>Number of bars in the series.</summary>
    public int Count => _sums.Length - 1;

    /// <summary>Cost per unit of position change, as a fraction of equity.</summary>
    public double Commission { get; }

    /// <summary>Periods per year used for the Sharpe ratio.</summary>
    public double AnnualizationFactor { get; }

    /// <summary>Scores one setting in O(n) without allocating.</summary>
    public MovingAverageScore Evaluate(int fast, int slow, bool allowShort = false)
    {
        if (fast < 1 || fast >= slow || slow > Count)
        {
            throw new ArgumentOutOfRangeException(nameof(fast), $"Windows must satisfy 1 <= fast < slow <= {Count}, got fast {fast}, slow {slow}.");
        }

        var sums = _sums;
        var returns = _returns;
        double inverseFast = 1.0 / fast, inverseSlow = 1.0 / slow, commission = Commission;
        double equity = 1, peak = 1, maxDrawdown = 0, sum = 0, sumSquares = 0, previous = 0;
        var trades = 0;

        // Bars before slow - 1 are flat and earn exactly 0, which adds nothing to the sums but counts in n.
        for (var t = slow - 1; t < returns.Length; t++)
        {
            var p = MovingAverageCrossoverRule.Signal(
                PrefixSums.WindowMean(sums, t, fast, inverseFast), PrefixSums.WindowMean(sums, t, slow, inverseSlow), allowShort);
            var change = p - previous;
            trades += p != 0 && Math.Sign(p) != Math.Sign(previous) ? 1 : 0;
            var growth = (1 - (commission * Math.Abs(change))) * (1 + (p * returns[t]));
            var r = growth - 1;
            sum += r;
            sumSquares += r * r;
            equity *= growth;
            peak = Math.Max(peak, equity);
            maxDrawdown = Math.Max(maxDrawdown, 1 - (equity / peak));
            previous = p;
        }

        var count = returns.Length;
        var sharpe = 0.0;
        if (count >= 2)
        {
            var mean = sum / count;
            var variance = Math.Max((sumSquares - (sum * mean)) / (count - 1), 0);
            sharpe = variance == 0 ? 0 : mean / Math.Sqrt(variance) * Math.Sqrt(AnnualizationFactor);
        }

        return new MovingAverageScore(fast, slow, sharpe, equity - 1, maxDrawdown, trades);
    }

    /// <summary>Scores every pair with fast in [fastMin, fastMax] and slow in [slowMin, slowMax], fast &lt; slow, in parallel.</summary>
    public MovingAverageScore[] EvaluateGrid(
        int fastMin, int fastMax, int slowMin, int slowMax, bool allowShort = false, int maxDegreeOfParallelism = -1)
    {
        var pairs = new List<(int Fast, int Slow)>();
        for (var fast = fastMin; fast <= fastMax; fast++)
        {
            for (var slow = Math.Max(slowMin, fast + 1); slow <= slowMax; slow++)
            {
                pairs.Add((fast, slow));
            }
        }

        var scores = new MovingAverageScore[pairs.Count];
        Parallel.For(0, pairs.Count, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism },
            i => scores[i] = Evaluate(pairs[i].Fast, pairs[i].Slow, allowShort));
        return scores;
    }
}
