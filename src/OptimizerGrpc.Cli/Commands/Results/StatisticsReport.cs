using System.Globalization;
using OptimizerGrpc.Client;
using static OptimizerGrpc.Cli.Commands.Results.AnalysisReport;

namespace OptimizerGrpc.Cli.Commands.Results;

/// <summary>The overfitting statistics, the regime matrix and the walk-forward summary of <c>optimizer analyze</c>.</summary>
internal static class StatisticsReport
{
    public static void Print(OverfittingStatisticsInfo? overfitting)
    {
        if (overfitting is null)
        {
            return;
        }

        Console.WriteLine("  overfitting (Bailey & Lopez de Prado)");
        if (overfitting.Winner is { } w)
        {
            PrintSharpe(w, "winner");
        }

        if (overfitting.Pbo is { } p)
        {
            Console.WriteLine(Invariant($"    PBO          {p.Probability:F4} over {p.Combinations:N0} combinations of {p.Blocks} blocks; probability of loss {p.ProbabilityOfLoss:F4}"));
            Console.WriteLine(Invariant(
                $"    degradation  out-of-sample Sharpe = {p.DegradationSlope:F3} x in-sample {(p.DegradationIntercept < 0 ? "-" : "+")} {Math.Abs(p.DegradationIntercept):F4} (per period, selected trials)"));
        }

        foreach (var reason in overfitting.Unavailable)
        {
            Console.WriteLine($"    unavailable  {reason}");
        }
    }

    public static void PrintRegimes(RegimeMatrixInfo regimes)
    {
        Console.WriteLine();
        if (regimes.Unavailable is { } why)
        {
            Console.WriteLine($"regime matrix unavailable: {why}");
            return;
        }

        Console.WriteLine("regime matrix: per-period Sharpe ratio of each regime's winner (rows) on each regime's bars (columns)");
        int width = Math.Max(14, regimes.Regimes.Max(r => r.Length) + 7);
        Console.WriteLine("  " + "winner (bars)".PadRight(width) + string.Concat(regimes.Regimes.Select(r => $" {r,14}")));
        for (int i = 0; i < regimes.Regimes.Count; i++)
        {
            var row = Invariant($"{regimes.Regimes[i]} ({100 * regimes.BarShares[i]:F0}%)").PadRight(width);
            var cells = string.Concat(Enumerable.Range(0, regimes.Regimes.Count).Select(j => Invariant($" {Number(regimes.SharpeRatio(i, j)),14}")));
            Console.WriteLine("  " + row + cells);
        }
    }

    public static void PrintWalkForward(WalkForwardAnalysisInfo walk)
    {
        Console.WriteLine();
        Console.WriteLine(Invariant($"walk-forward: profitable windows {100 * walk.ProfitableWindowShare:F0}%; efficiency per window {string.Join(", ", walk.WindowEfficiency.Select(Number))}"));
        if (walk.Stitched is { } stitched)
        {
            PrintSharpe(stitched, "stitched");
        }

        foreach (var (parameter, drift) in walk.ParameterDrift.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Console.WriteLine(Invariant($"    drift        {parameter}: coefficient of variation {drift:F3}"));
        }
    }

    private static void PrintSharpe(SharpeStatisticsInfo s, string what)
    {
        Console.WriteLine(Invariant(
            $"    {what,-12} Sharpe {Number(s.SharpeRatio)} per period ({Number(s.AnnualizedSharpeRatio)} annualised) over {s.Periods:N0} periods; skewness {s.Skewness:F2}, kurtosis {s.Kurtosis:F2}"));
        Console.WriteLine(Invariant($"    PSR          {Number(s.ProbabilisticSharpeRatio)}  (probability that the true Sharpe ratio exceeds 0)"));
        Console.WriteLine(Invariant(
            $"    DSR          {Number(s.DeflatedSharpeRatio)}  (against an expected maximum Sharpe of {Number(s.ExpectedMaxSharpe)} per period of {s.Trials:N0} unskilled trials, variance {s.SharpeVariance:G3})"));
        Console.WriteLine(Invariant($"    MinTRL       {(double.IsFinite(s.MinTrackRecordLength) ? Math.Ceiling(s.MinTrackRecordLength).ToString("N0", CultureInfo.InvariantCulture) : "never")} periods (to beat 0 at 95%)"));
        Console.WriteLine(Invariant($"    MinBTL       {Number(s.MinBacktestLengthYears)} years (shorter, {s.Trials:N0} trials would find this Sharpe ratio by chance)"));
    }

    // NaN (a flat winner has no Sharpe ratio; DSR without a second trial) reads "n/a".
    private static string Number(double value) =>
        double.IsNaN(value) ? "n/a" : value.ToString("F4", CultureInfo.InvariantCulture);
}
