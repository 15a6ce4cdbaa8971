namespace OptimizerGrpc.Core.Metrics;

/// <summary>
/// One pass over per-bar simple returns r_t = E_t / E_{t-1} - 1: their moments, the downside below the per-bar
/// risk-free rate, and the equity path they chain into (starting at 1) with its drawdowns. Segments are added in
/// bar order and chain onto each other, so scoring a subset of bars is the same pass as scoring them all.
/// </summary>
internal struct ReturnPath(double riskFreePerBar)
{
    private readonly double _riskFreePerBar = riskFreePerBar;

    // Sums of (r - shift) with shift = the first return: the shifted-data variance stays accurate for long runs of
    // tiny returns without Welford's division per bar.
    private double _shift;
    private double _sum;
    private double _sumSquares;
    private double _downsideSquares;

    private double _peak = 1;
    private long _peakStep;
    private bool _underwater;
    private long _maxRecovered;

    /// <summary>The per-bar risk-free rate returns are measured against.</summary>
    public readonly double RiskFreePerBar => _riskFreePerBar;

    /// <summary>Number of returns added.</summary>
    public long Count { get; private set; }

    /// <summary>The chained path's last value (1 before any return).</summary>
    public double Value { get; private set; } = 1;

    /// <summary>Largest 1 - value / running peak, in [0, 1).</summary>
    public double MaxDrawdown { get; private set; }

    /// <summary>Longest peak-to-recovery run in returns, counting an unrecovered run to the last return.</summary>
    public readonly long MaxDrawdownDuration => _underwater ? Math.Max(_maxRecovered, Count - _peakStep) : _maxRecovered;

    public readonly double Mean => Count == 0 ? 0 : _shift + (_sum / Count);

    /// <summary>Sample standard deviation (n - 1); 0 with fewer than 2 returns.</summary>
    public readonly double SampleStd =>
        Count < 2 ? 0 : Math.Sqrt(Math.Max(0, (_sumSquares - (_sum * _sum / Count)) / (Count - 1)));

    /// <summary>sqrt(mean(min(0, r - rf)^2)) over all returns (Sortino &amp; Price 1994); 0 with none.</summary>
    public readonly double DownsideDeviation => Count == 0 ? 0 : Math.Sqrt(_downsideSquares / Count);

    /// <summary>Adds the returns of bars [from, to); 1 &lt;= from &lt; to &lt;= equity.Length.</summary>
    public void Add(ReadOnlySpan<double> equity, int from, int to)
    {
        if (Count == 0)
        {
            _shift = (equity[from] / equity[from - 1]) - 1;
        }

        // The path within a segment is base * E_t / E_{from-1}: one rounding per bar instead of a running product.
        // The loop is branch-light on purpose (a branch on the sign of a return mispredicts half the time and costs
        // more than the rest of the loop): the downside term is arithmetic, and a drawdown's division only runs
        // when the path falls below the deepest trough so far (floor = peak * (1 - max drawdown)).
        var bars = equity[(from - 1)..to];
        var scale = Value / bars[0];
        double shift = _shift, rf = _riskFreePerBar, sum = _sum, sumSquares = _sumSquares, downside = _downsideSquares;
        double peak = _peak, maxDrawdown = MaxDrawdown, value = Value;
        var floor = peak * (1 - maxDrawdown);
        long step = Count, peakStep = _peakStep, maxRecovered = _maxRecovered;
        var underwater = _underwater;
        var previous = bars[0];
        for (var i = 1; i < bars.Length; i++)
        {
            var current = bars[i];
            var r = (current / previous) - 1;
            previous = current;
            var d = r - shift;
            sum += d;
            sumSquares += d * d;
            var excess = r - rf;
            var below = (excess - Math.Abs(excess)) * 0.5; // min(excess, 0), exact and without a branch
            downside += below * below;

            step++;
            value = current * scale;
            if (value >= peak)
            {
                if (underwater)
                {
                    maxRecovered = Math.Max(maxRecovered, step - peakStep);
                    underwater = false;
                }

                peak = value;
                peakStep = step;
                floor = peak * (1 - maxDrawdown);
            }
            else
            {
                underwater = true;
                if (value < floor)
                {
                    maxDrawdown = Math.Max(maxDrawdown, 1 - (value / peak));
                    floor = peak * (1 - maxDrawdown);
                }
            }
        }

        (_sum, _sumSquares, _downsideSquares) = (sum, sumSquares, downside);
        (_peak, MaxDrawdown, Value) = (peak, maxDrawdown, value);
        (Count, _peakStep, _maxRecovered, _underwater) = (step, peakStep, maxRecovered, underwater);
    }
}
