using System.Globalization;
using OptimizerGrpc.Client;

namespace OptimizerGrpc.Optimization;

/// <summary>
/// A stage's analysis in a few lines: what matters (importance, top 3), whether the best trial stands on a plateau or
/// a lone peak (the best trial and the robust pick, the trial with the best neighbourhood), whether the winner's Sharpe ratio survives the number of trials (DSR), and
/// how often the selection overfits (PBO); or why a part is unavailable.
/// </summary>
public static class AnalysisVerdict
{
    /// <summary>The confidence a deflated Sharpe ratio must reach to call the winner significant (Bailey &amp; Lopez de Prado 2014 use 95%).</summary>
    public const double SignificantDsr = 0.95;

    private const int ImportanceShown = 3;

    /// <summary>
    /// The verdict lines of <paramref name="stage"/>, each starting with its subject ("importance", "best", "robust pick",
    /// "DSR", "PBO", "unavailable", or "landscape" when it is missing) padded to 12 characters. Numbers use the invariant culture.
    /// </summary>
    public static IReadOnlyList<string> Format(StageAnalysisInfo stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        var lines = new List<string>();
        if (stage.Unavailable is { } why)
        {
            lines.Add(Line("landscape", $"unavailable: {why}"));
        }
        else if (stage.Importance.Count > 0)
        {
            lines.Add(Line("importance", string.Join(", ", stage.Importance
                .OrderByDescending(i => i.Importance).Take(ImportanceShown).Select(i => Invariant($"{i.Parameter} {i.Importance:F2}")))));
        }

        if (stage.Robustness is { Best: { } best } robustness)
        {
            lines.Add(Line("best", Invariant($"trial {best.TrialNumber} {Scored(best, edges: true)}")));
            lines.Add(Line("robust pick", RobustPick(best, robustness.RobustPick)));
        }

        if (stage.Overfitting is not { } overfitting)
        {
            return lines;
        }

        if (overfitting.Winner is { } winner)
        {
            lines.Add(Line("DSR", Dsr(winner)));
        }

        if (overfitting.Pbo is { } pbo)
        {
            lines.Add(Line("PBO", Invariant($"{pbo.Probability:F2} over {pbo.Combinations:N0} combinations of {pbo.Blocks} blocks (probability of loss {pbo.ProbabilityOfLoss:F2})")));
        }

        lines.AddRange(overfitting.Unavailable.Select(reason => Line("unavailable", reason)));
        return lines;
    }

    private static string RobustPick(NeighbourhoodScoreInfo best, NeighbourhoodScoreInfo? pick) =>
        pick is null ? "none: no trial has a neighbour"
        : pick.TrialNumber == best.TrialNumber ? "the best trial"
        : Invariant($"trial {pick.TrialNumber} {Scored(pick, edges: false)}");

    // "(score 0.4820, neighbours 0.3100 over 6, isolated peak, at the edge: ma.fast)": the edges say a range may be too narrow.
    private static string Scored(NeighbourhoodScoreInfo n, bool edges)
    {
        var parts = new List<string> { Invariant($"score {n.Score:F4}") };
        parts.Add(n.Neighbours > 0 ? Invariant($"neighbours {n.NeighbourhoodMean:F4} over {n.Neighbours}") : "no neighbours");
        if (n.IsolatedPeak)
        {
            parts.Add("isolated peak");
        }

        var onEdge = n.OnLowEdge.Concat(n.OnHighEdge).ToList();
        if (edges && onEdge.Count > 0)
        {
            parts.Add("at the edge: " + string.Join(", ", onEdge));
        }

        return "(" + string.Join(", ", parts) + ")";
    }

    private static string Dsr(SharpeStatisticsInfo w)
    {
        string context = $"PSR {Number(w.ProbabilisticSharpeRatio)}, annualised Sharpe {Number(w.AnnualizedSharpeRatio)}, MinTRL {Count(w.MinTrackRecordLength)} of {Count(w.Periods)} periods";
        if (double.IsNaN(w.DeflatedSharpeRatio))
        {
            return $"n/a ({context})";
        }

        string significance = w.DeflatedSharpeRatio >= SignificantDsr ? "significant" : "not significant";
        return Invariant($"{w.DeflatedSharpeRatio:F2}: {significance} at 95% after {w.Trials:N0} trials ({context})");
    }

    // NaN (a winner whose returns do not vary has no Sharpe ratio) reads "n/a".
    private static string Number(double value) => double.IsNaN(value) ? "n/a" : value.ToString("F2", CultureInfo.InvariantCulture);

    // MinTRL is infinite when the Sharpe ratio is not positive: no track record is long enough.
    private static string Count(double periods) => double.IsFinite(periods) ? Invariant($"{Math.Ceiling(periods):N0}") : "never";

    private static string Line(string subject, string text) => $"{subject,-12}{text}";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
