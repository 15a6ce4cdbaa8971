using System.Globalization;
using OptimizerGrpc.Client;

namespace OptimizerGrpc.Optimization;

/// <summary>
/// A stage's analysis in a few lines: what matters (importance, top 3), whether the best trial stands on a plateau or
/// a lone peak (robust pick against best), whether the winner's Sharpe ratio survives the number of trials (DSR), and
/// how often the selection overfits (PBO); or why a part is unavailable.
/// </summary>
public static class AnalysisVerdict
{
    /// <summary>The confidence a deflated Sharpe ratio must reach to call the winner significant (Bailey &amp; Lopez de Prado 2014 use 95%).</summary>
    public const double SignificantDsr = 0.95;

    private const int ImportanceShown = 3;

    /// <summary>
    /// The verdict lines of <paramref name="stage"/>, each starting with its subject ("importance", "robust pick",
    /// "DSR", "PBO", "unavailable") padded to 12 characters. Numbers use the invariant culture.
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

    private static string RobustPick(NeighbourhoodScoreInfo best, NeighbourhoodScoreInfo? pick)
    {
        if (pick is null)
        {
            return Invariant($"none (no trial has a neighbour); best trial {best.TrialNumber} {Scored(best)}");
        }

        return pick.TrialNumber == best.TrialNumber
            ? Invariant($"the best trial {best.TrialNumber} {Scored(best)}")
            : Invariant($"trial {pick.TrialNumber} {Scored(pick)} vs best trial {best.TrialNumber} {Scored(best)}");
    }

    // "(score 0.4820, neighbours 0.3100 over 6, isolated peak, at the edge: ma.fast)"
    private static string Scored(NeighbourhoodScoreInfo n)
    {
        var parts = new List<string> { Invariant($"score {n.Score:F4}") };
        if (n.Neighbours > 0)
        {
            parts.Add(Invariant($"neighbours {n.NeighbourhoodMean:F4} over {n.Neighbours}"));
        }

        if (n.IsolatedPeak)
        {
            parts.Add("isolated peak");
        }

        var edges = n.OnLowEdge.Concat(n.OnHighEdge).ToList();
        if (edges.Count > 0)
        {
            parts.Add("at the edge: " + string.Join(", ", edges));
        }

        return "(" + string.Join(", ", parts) + ")";
    }

    private static string Dsr(SharpeStatisticsInfo w)
    {
        string context = Invariant($"PSR {w.ProbabilisticSharpeRatio:F2}, annualised Sharpe {w.AnnualizedSharpeRatio:F2}, MinTRL {Count(w.MinTrackRecordLength)} of {w.Periods:N0} periods");
        if (double.IsNaN(w.DeflatedSharpeRatio))
        {
            return $"n/a ({context})";
        }

        string significance = w.DeflatedSharpeRatio >= SignificantDsr ? "significant" : "not significant";
        return Invariant($"{w.DeflatedSharpeRatio:F2}: {significance} at 95% after {w.Trials:N0} trials ({context})");
    }

    // MinTRL is infinite when the Sharpe ratio is not positive: no track record is long enough.
    private static string Count(double periods) => double.IsFinite(periods) ? Invariant($"{Math.Ceiling(periods):N0}") : "never";

    private static string Line(string subject, string text) => $"{subject,-12}{text}";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
