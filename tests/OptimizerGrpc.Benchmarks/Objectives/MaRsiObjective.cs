using OptimizerGrpc.Trading;

namespace OptimizerGrpc.Benchmarks;

/// <summary>
/// The real objective of the quality suite, built from the trading toolkit: long (1) on bar t when
/// (SMA(fast) &gt; SMA(slow) and RSI(period) &lt; overbought) or RSI(period) &lt; oversold, otherwise flat (0).
/// The trend leg is <see cref="MovingAverageCrossoverRule"/> (flat before the slow window is full), the RSI is Wilder's
/// (<see cref="RelativeStrengthIndex"/>, NaN and so never below a threshold before bar <c>period</c>); the positions
/// are backtested by <see cref="Backtester"/> with <see cref="Commission"/> per unit of position change and scored by
/// the annualised (252) Sharpe ratio of the equity curve. <c>optuna_baseline.py</c> implements the same in numpy.
/// </summary>
internal sealed class MaRsiObjective
{
    public const double Commission = 0.0005;

    private readonly double[] _close;
    private readonly Backtester _backtester = new(commission: Commission);
    private readonly Dictionary<int, double[]> _rsi = [];

    public MaRsiObjective(string csvPath) => _close = new CsvDataHandler().Load(csvPath).Close;

    public int Bars => _close.Length;

    public double Sharpe(int fast, int slow, int period, double oversold, double overbought)
    {
        var positions = new double[_close.Length];
        new MovingAverageCrossoverRule(fast, slow).ComputePositions(_close, positions);
        if (!_rsi.TryGetValue(period, out var rsi))
        {
            rsi = new double[_close.Length];
            RelativeStrengthIndex.Compute(_close, period, rsi);
            _rsi[period] = rsi;
        }

        for (var t = 0; t < positions.Length; t++)
        {
            positions[t] = (positions[t] > 0 && rsi[t] < overbought) || rsi[t] < oversold ? 1 : 0;
        }

        return PerformanceStats.SharpeRatio(_backtester.Run(_close, positions).Equity, 252);
    }
}
