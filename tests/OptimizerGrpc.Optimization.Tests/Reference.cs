using OptimizerGrpc.Trading;

namespace OptimizerGrpc.Optimization.Tests;

/// <summary>Independent reference computations the server's results are checked against.</summary>
internal static class Reference
{
    /// <summary>
    /// Annualised Sharpe ratio (risk-free 0, 252 bars a year) of the bar returns E_t / E_{t-1} - 1 for the bars t &gt;= 1
    /// where <paramref name="counts"/> says so: mean over sample standard deviation times √252, 0 when flat. The
    /// server's attribution scoring is documented to count exactly these returns (MetricCalculator.ComputeOnBars).
    /// </summary>
    public static double Sharpe(double[] equity, Func<int, bool> counts)
    {
        var returns = Enumerable.Range(1, equity.Length - 1).Where(counts).Select(t => (equity[t] / equity[t - 1]) - 1).ToArray();
        if (returns.Length < 2)
        {
            return 0;
        }

        var mean = returns.Average();
        var std = Math.Sqrt(returns.Sum(r => (r - mean) * (r - mean)) / (returns.Length - 1));
        return std <= 1e-12 * Math.Abs(mean) ? 0 : mean / std * Math.Sqrt(252);
    }

    /// <summary>Equity of the weighted mean of the rules' positions (Σ wᵢ·pᵢ / Σ wᵢ; flat when every weight is 0).</summary>
    public static double[] Equity(double[] close, IReadOnlyList<(ITradingRule Rule, double Weight)> rules)
    {
        var combined = new double[close.Length];
        var total = rules.Sum(r => r.Weight);
        foreach (var (rule, weight) in rules.Where(r => r.Weight != 0))
        {
            var positions = rule.GeneratePositions(close);
            for (var t = 0; t < close.Length; t++)
            {
                combined[t] += weight * positions[t] / total;
            }
        }

        return new Backtester().Run(close, combined).Equity;
    }
}
