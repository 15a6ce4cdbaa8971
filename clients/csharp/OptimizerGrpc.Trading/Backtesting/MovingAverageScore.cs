namespace OptimizerGrpc.Trading;

/// <summary>Score of one (fast, slow) moving-average crossover from <see cref="MovingAverageSweep"/>.</summary>
/// <param name="Fast">Fast window in bars.</param>
/// <param name="Slow">Slow window in bars.</param>
/// <param name="SharpeRatio">Annualised Sharpe ratio, as <see cref="PerformanceStats.SharpeRatio"/>.</param>
/// <param name="TotalReturn">Final over initial equity minus one.</param>
/// <param name="MaxDrawdown">Largest peak-to-trough fall as a fraction of the peak.</param>
/// <param name="TradeCount">Number of round trips, as <see cref="Backtester"/> counts them.</param>
public readonly record struct MovingAverageScore(
    int Fast, int Slow, double SharpeRatio, double TotalReturn, double MaxDrawdown, int TradeCount);
