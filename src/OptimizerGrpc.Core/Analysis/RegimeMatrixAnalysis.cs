using OptimizerGrpc.Core.Analysis.Overfitting;
using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Core.Analysis;

/// <summary>How regime-specific a regime study's winners are: row i is regime i's winner, column j its per-period
/// Sharpe ratio on regime j's bars (NaN where it has no returns); and each regime's share of the labelled bars.</summary>
public sealed record RegimeMatrixReport(IReadOnlyList<string> Regimes, IReadOnlyList<double> BarShares, IReadOnlyList<double> SharpeRatios, string Unavailable);

/// <summary>
/// The cross-regime matrix of a regime-specific study. In attribution mode each winner's record covers the whole series
/// and its return summary keeps every regime's sums. In segment mode the diagonal is each winner's own returns and cell
/// (i, j) comes from the cross-regime validation stage that backtested regime i's winner on regime j's segments; a study
/// planned without those stages reports the matrix unavailable with the reason.
/// </summary>
public static class RegimeMatrixAnalysis
{
    public const string SegmentMode =
        "the study ran in segment mode without cross_regime_validation: each trial was backtested on its own regime's bars only";

    /// <param name="winnerReturns">The return summary of a stage's winner (for a validation stage, its one trial) by stage index, or null.</param>
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
        int n = regimes.Count;
        var matrix = new double[n * n];
        if (regimes[0].Definition.RegimeSegments is not null)
        {
            for (int i = 0; i < n; i++)
            {
                var sums = winnerReturns(regimes[i].Index)?.Regimes;
                for (int j = 0; j < n; j++)
                {
                    matrix[(i * n) + j] = sums is not null && j < sums.Count ? Sharpe(sums[j]) : double.NaN;
                }
            }

            return new RegimeMatrixReport(names, shares, matrix, "");
        }

        var cross = stages.Where(s => s.Definition.WinnerOfRegime.Length > 0).ToList();
        if (cross.Count == 0)
        {
            return new RegimeMatrixReport(names, shares, [], SegmentMode);
        }

        var row = names.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        Array.Fill(matrix, double.NaN);
        for (int i = 0; i < n; i++)
        {
            matrix[(i * n) + i] = winnerReturns(regimes[i].Index) is { } own ? Sharpe(own.Blocks.Total) : double.NaN;
        }

        foreach (var stage in cross)
        {
            if (row.TryGetValue(stage.Definition.WinnerOfRegime, out int i)
                && stage.Definition.Context is RegimeContext on && row.TryGetValue(on.Regime, out int j)
                && winnerReturns(stage.Definition.Index) is { } returns)
            {
                matrix[(i * n) + j] = Sharpe(returns.Blocks.Total);
            }
        }

        return new RegimeMatrixReport(names, shares, matrix, "");
    }

    private static double Sharpe(ReturnSums sums) => sums.Count >= 2 ? sums.SharpeRatio() : double.NaN;
}
