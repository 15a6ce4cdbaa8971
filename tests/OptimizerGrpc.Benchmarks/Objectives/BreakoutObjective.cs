using OptimizerGrpc.Trading;

namespace OptimizerGrpc.Benchmarks;

/// <summary>
/// A real objective of the quality suite: a Donchian channel breakout (long only) on the Swiss Performance Index (SPI
/// column of the SWX daily file). A flat book goes long on bar t when close[t] is above the highest close of the
/// <c>entry</c> bars before it and, with the trend filter on, above the simple moving average of the last <c>filter</c>
/// closes (prefix sums, as <see cref="MovingAverageCrossoverRule"/>); a long book exits when close[t] is below the lowest
/// close of the <c>exit</c> bars before it. With the filter off, <c>filter</c> has no effect: a conditional parameter, as
/// trading spaces have. Backtested with <see cref="Commission"/> per unit of position change, Sharpe annualised with 252.
/// </summary>
internal sealed class BreakoutObjective
{
    public const double Commission = 0.0005;
    public const string Column = "SPI";

    public static readonly string[] Filters = ["off", "on"];

    private readonly double[] _close;
    private readonly double[] _sums;
    private readonly Backtester _backtester = new(commission: Commission);

    public BreakoutObjective(string csvPath)
    {
        _close = new CsvDataHandler(new CsvOptions { ValueColumn = Column }).Load(csvPath).Close;
        _sums = new double[_close.Length + 1];
        double running = 0;
        for (int i = 0; i < _close.Length; i++)
        {
            running += _close[i];
            _sums[i + 1] = running;
        }
    }

    public int Bars => _close.Length;

    public double Sharpe(int entry, int exit, int filter, string trendFilter)
    {
        bool filtered = trendFilter == "on";
        double inverse = 1.0 / filter;
        var positions = new double[_close.Length];
        double position = 0;
        for (int t = 0; t < _close.Length; t++)
        {
            double price = _close[t];
            if (position > 0 && t >= exit && price < Min(t - exit, t))
            {
                position = 0;
            }
            else if (position == 0 && t >= entry && price > Max(t - entry, t)
                     && (!filtered || (t + 1 >= filter && price > (_sums[t + 1] - _sums[t + 1 - filter]) * inverse)))
            {
                position = 1;
            }

            positions[t] = position;
        }

        return PerformanceStats.SharpeRatio(_backtester.Run(_close, positions).Equity, 252);
    }

    private double Max(int from, int to)
    {
        double m = double.NegativeInfinity;
        for (int i = from; i < to; i++)
        {
            m = Math.Max(m, _close[i]);
        }

        return m;
    }

    private double Min(int from, int to)
    {
        double m = double.PositiveInfinity;
        for (int i = from; i < to; i++)
        {
            m = Math.Min(m, _close[i]);
        }

        return m;
    }
}
