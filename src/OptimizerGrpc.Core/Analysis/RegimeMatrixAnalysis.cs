using OptimizerGrpc.Core.Analysis.Overfitting;
using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Core.Analysis;

/// <summary>How regime-specific a regime study's winners are: row i is regime i's winner, column j its per-period
/// Sharpe ratio on regime j's bars (NaN where it has no returns); and each regime's share of the labelled bars.</summary>
public sealed record RegimeMatrixReport(IReadOnlyList<string> Regimes, IReadOnlyList<double> BarShares, IReadOnlyList<double> SharpeRatios, string Unavailable);

/// <summary>
/// The cross-regime matrix of a regime-specific study. It needs each winner's returns on every regime's bars, which the
/// server keeps only in attribution mode (the client backtests the whole series); in segment mode a trial is backtested
/// on its own regime's bars only, and the matrix is reported unavailable with that reason.
/// </summary>
public static class RegimeMatrixAnalysis
{
    public const string SegmentMode =
        "the study ran in segment mode: each trial was backtested on its own regime's bars only; run it in attribution mode to score every winner in every regime";

    /// <param name="winnerReturns">The return summary of a stage's winner by stage index, or null.</param>
    /// <returns>Null when the study has no regime stages.</returns>
    public static RegimeMatrixReport? Build(IReadOnlyList<StageView> stages, Func<int, TrialReturns?> winnerReturns)
    {
        ArgumentNullException.ThrowIfNull(stages);
        ArgumentNullException.ThrowIfNull(winnerReturns);
        var regimes = stages.Where(s => s.Definition.Regime.Length > 0).ToList();
        if (regimes.Count == 0)
        {
            return null;
        }

        long total = regimes.Sum(s => s.Definition.RegimeBars);
        double[] shares = [.. regimes.Select(s => total == 0 ? 0 : (double)s.Definition.RegimeBars / total)];
        string[] names = [.. regimes.Select(s => s.Definition.Regime)];
        if (regimes[0].Definition.RegimeSegments is null)
        {
            return new RegimeMatrixReport(names, shares, [], SegmentMode);
        }

        var matrix = new double[regimes.Count * regimes.Count];
        for (int i = 0; i < regimes.Count; i++)
        {
            var sums = winnerReturns(regimes[i].Index)?.Regimes;
            for (int j = 0; j < regimes.Count; j++)
            {
                matrix[(i * regimes.Count) + j] = sums is not null && j < sums.Count && sums[j].Count >= 2 ? sums[j].SharpeRatio() : double.NaN;
            }
        }

        return new RegimeMatrixReport(names, shares, matrix, "");
    }
}
