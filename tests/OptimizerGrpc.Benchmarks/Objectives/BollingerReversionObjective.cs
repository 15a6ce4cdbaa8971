using OptimizerGrpc.Trading;

namespace OptimizerGrpc.Benchmarks;

/// <summary>
/// A real objective of the quality suite: Bollinger-band mean reversion on the last <see cref="Bars"/> USD/CHF 30-minute
/// bars (March 2000 to March 2001; the whole file would make each evaluation four times slower for no new kind of
/// landscape). Bands are
/// <see cref="BollingerBands"/> (mean and population standard deviation over <c>window</c> bars). On each bar with full
/// bands, a long position closes once close &gt;= mean + exit · std and a short one once close &lt;= mean - exit · std;
/// then a flat book goes long when close &lt; mean - entry · std (side long or both) or short when close &gt; mean + entry · std
/// (side short or both). Backtested by <see cref="Backtester"/> with <see cref="Commission"/> per unit of position
/// change, scored by the Sharpe ratio annualised with <see cref="BarsPerYear"/>. <c>optuna_baseline.py</c> does the same.
/// </summary>
internal sealed class BollingerReversionObjective
{
    public const double Commission = 0.0001;

    /// <summary>48 half-hour bars a day, 252 trading days.</summary>
    public const double BarsPerYear = 252 * 48;

    public static readonly string[] Sides = ["long", "short", "both"];

    private readonly double[] _close;
    private readonly Backtester _backtester = new(commission: Commission);
    private readonly Dictionary<int, (double[] Mean, double[] Std)> _bands = [];

    /// <summary>The bars used: the file's last 16,000.</summary>
    public const int Bars = 16_000;

    public BollingerReversionObjective(string csvPath) => _close = new CsvDataHandler().Load(csvPath).Close[^Bars..];

    public double Sharpe(int window, double entry, double exit, string side)
    {
        if (!_bands.TryGetValue(window, out var bands))
        {
            bands = (new double[_close.Length], new double[_close.Length]);
            BollingerBands.Compute(_close, window, bands.Mean, bands.Std);
            _bands[window] = bands;
        }

        bool longs = side != "short", shorts = side != "long";
        var positions = new double[_close.Length];
        double position = 0;
        for (int t = 0; t < _close.Length; t++)
        {
            double mean = bands.Mean[t], std = bands.Std[t], price = _close[t];
            if (double.IsNaN(mean))
            {
                continue;
            }

            if ((position > 0 && price >= mean + (exit * std)) || (position < 0 && price <= mean - (exit * std)))
            {
                position = 0;
            }

            if (position == 0 && longs && price < mean - (entry * std))
            {
                position = 1;
            }
            else if (position == 0 && shorts && price > mean + (entry * std))
            {
                position = -1;
            }

            positions[t] = position;
        }

        return PerformanceStats.SharpeRatio(_backtester.Run(_close, positions).Equity, BarsPerYear);
    }
}
