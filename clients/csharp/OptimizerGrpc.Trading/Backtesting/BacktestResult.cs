namespace OptimizerGrpc.Trading;

/// <summary>What a backtest produced.</summary>
/// <param name="Equity">Equity per bar; Equity[0] is the initial capital.</param>
/// <param name="Position">Position held from each bar's close to the next (as given to the backtester).</param>
/// <param name="Trades">Round trips in entry order.</param>
public sealed record BacktestResult(double[] Equity, double[] Position, IReadOnlyList<Trade> Trades)
{
    /// <summary>Final equity over initial equity minus one.</summary>
    public double TotalReturn => PerformanceStats.TotalReturn(Equity);

    /// <summary>Largest peak-to-trough fall as a fraction of the peak (0.25 = 25%).</summary>
    public double MaxDrawdown => PerformanceStats.MaxDrawdown(Equity);

    /// <summary>Annualised Sharpe ratio with zero risk-free rate; see <see cref="PerformanceStats.SharpeRatio"/>.</summary>
    public double SharpeRatio(double annualizationFactor = 252, double riskFreeRate = 0) =>
        PerformanceStats.SharpeRatio(Equity, annualizationFactor, riskFreeRate);
}
