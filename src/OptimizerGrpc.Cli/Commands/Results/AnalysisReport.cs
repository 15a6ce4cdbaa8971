using System.Globalization;
using OptimizerGrpc.Client;
using OptimizerGrpc.Optimization;

namespace OptimizerGrpc.Cli.Commands.Results;

/// <summary>
/// A study's analysis as text: <see cref="PrintVerdicts"/> is the few lines per stage that <c>optimizer run</c> prints
/// after its result table; <see cref="PrintFull"/> is what <c>optimizer analyze</c> prints. Surfaces and the PBO's
/// logit histogram are only in the JSON file.
/// </summary>
internal static class AnalysisReport
{
    public static void PrintVerdicts(StudyAnalysisInfo analysis, IReadOnlyList<StageInfo> stages)
    {
        foreach (var stage in analysis.Stages)
        {
            Console.WriteLine();
            Console.WriteLine(Header(stage, stages));
            foreach (var line in AnalysisVerdict.Format(stage))
            {
                Console.WriteLine("  " + line);
            }
        }

        // The validation stages point here: the windows are judged together, on the stitched out-of-sample returns.
        if (analysis.WalkForward is { Stitched: { } s } walk)
        {
            Console.WriteLine();
            Console.WriteLine(Invariant(
                $"analysis walk-forward: stitched out-of-sample DSR {s.DeflatedSharpeRatio:F2} (PSR {s.ProbabilisticSharpeRatio:F2}, annualised Sharpe {s.AnnualizedSharpeRatio:F2} over {s.Periods:N0} periods); efficiency per window {string.Join(", ", walk.WindowEfficiency.Select(e => e.ToString("F2", CultureInfo.InvariantCulture)))}"));
        }
    }

    public static void PrintFull(StudyAnalysisInfo analysis, IReadOnlyList<StageInfo> stages)
    {
        foreach (var stage in analysis.Stages)
        {
            Console.WriteLine();
            Console.WriteLine(Header(stage, stages));
            if (stage.Unavailable is { } why)
            {
                Console.WriteLine($"  landscape unavailable: {why}");
            }

            PrintImportance(stage);
            PrintSensitivity(stage);
            PrintRobustness(stage);
            PrintModes(stage);
            StatisticsReport.Print(stage.Overfitting);
        }

        if (analysis.Regimes is { } regimes)
        {
            StatisticsReport.PrintRegimes(regimes);
        }

        if (analysis.WalkForward is { } walk)
        {
            StatisticsReport.PrintWalkForward(walk);
        }
    }

    // "analysis stage-1 (rule_weights (trending_up)): 2,500 completed trials, score sharpe_ratio"
    private static string Header(StageAnalysisInfo stage, IReadOnlyList<StageInfo> stages)
    {
        string? name = stages.FirstOrDefault(s => string.Equals(s.StageId, stage.StageId, StringComparison.Ordinal))?.Name;
        string label = string.IsNullOrEmpty(name) ? stage.StageId : $"{stage.StageId} ({name})";
        string metric = string.IsNullOrEmpty(stage.Metric) ? "" : $", score {stage.Metric}";
        return Invariant($"analysis {label}: {stage.CompletedTrials:N0} completed trials{metric}");
    }

    private static void PrintImportance(StageAnalysisInfo stage)
    {
        if (stage.Importance.Count == 0)
        {
            return;
        }

        int width = Math.Max(9, stage.Importance.Max(i => i.Parameter.Length));
        Console.WriteLine("  importance (PED-ANOVA: share of the score's variation)");
        Console.WriteLine($"    {"parameter".PadRight(width)}  {"importance",10}  {"divergence",10}");
        foreach (var i in stage.Importance.OrderByDescending(i => i.Importance))
        {
            Console.WriteLine(Invariant($"    {i.Parameter.PadRight(width)}  {i.Importance,10:F4}  {i.Divergence,10:F4}"));
        }
    }

    // One line per parameter: "cell:best(count)" for each of its values, bins or choices; "-" for an empty cell.
    private static void PrintSensitivity(StageAnalysisInfo stage)
    {
        if (stage.Sensitivity.Count == 0)
        {
            return;
        }

        Console.WriteLine("  sensitivity (best score per cell, trials in parentheses)");
        foreach (var p in stage.Sensitivity)
        {
            var cells = p.Cells.Select(c => Invariant($"{Cell(p.Kind, c)}:") + (c.Count == 0 ? "-" : Invariant($"{c.BestScore:F3}({c.Count})")));
            Console.WriteLine($"    {p.Parameter} [{p.Kind.ToString().ToLowerInvariant()}]  {string.Join("  ", cells)}");
        }
    }

    private static string Cell(CellKind kind, SensitivityCellInfo cell) =>
        kind == CellKind.Bin ? $"{Value(cell.Low)}..{Value(cell.High)}" : Value(cell.Low);

    private static void PrintRobustness(StageAnalysisInfo stage)
    {
        if (stage.Robustness is not { } r)
        {
            return;
        }

        Console.WriteLine(Invariant($"  robustness (neighbours: every parameter in the same or an adjacent cell): median score {r.MedianScore:F4}, best - median {r.ScoreSpread:F4}"));
        if (r.Best is { } best)
        {
            Console.WriteLine("    best         " + Neighbourhood(best));
        }

        Console.WriteLine("    robust pick  " + (r.RobustPick is { } pick ? Neighbourhood(pick) : "none: no trial has a neighbour"));
        int isolated = r.Top.Count(t => t.IsolatedPeak);
        Console.WriteLine(Invariant($"    top {r.Top.Count}: {isolated} isolated peak(s)"));
    }

    // Two lines: the scores, then the parameters and which of them sit at the edge of their range.
    private static string Neighbourhood(NeighbourhoodScoreInfo n)
    {
        var text = Invariant($"trial {n.TrialNumber}  score {n.Score:F4}  ") +
            (n.Neighbours > 0 ? Invariant($"neighbours' mean {n.NeighbourhoodMean:F4} over {n.Neighbours}") : "no neighbours") +
            (n.IsolatedPeak ? "  isolated peak" : "") +
            Environment.NewLine + "                 " + Params(n.Params);
        if (n.OnLowEdge.Count + n.OnHighEdge.Count > 0)
        {
            text += "; at the edge: " + string.Join(", ", n.OnLowEdge.Select(p => p + " (low)").Concat(n.OnHighEdge.Select(p => p + " (high)")));
        }

        return text;
    }

    private static void PrintModes(StageAnalysisInfo stage)
    {
        if (stage.Modes.Count == 0)
        {
            return;
        }

        Console.WriteLine($"  modes ({stage.Modes.Count} cluster(s) of the top trials)");
        foreach (var (m, i) in stage.Modes.Select((m, i) => (m, i + 1)))
        {
            Console.WriteLine(Invariant(
                $"    {i}: {m.Size} trials, best trial {m.BestTrialNumber} ({m.BestScore:F4}), scores {m.MinScore:F4}..{m.MaxScore:F4} (std {m.ScoreStd:F4}), centre {Params(m.Centre)}"));
        }
    }

    public static string Params(IReadOnlyDictionary<string, ParamValue> values) =>
        string.Join(", ", values.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={Value(p.Value)}"));

    private static string Value(ParamValue value) =>
        value.Kind == ParamKind.Float ? value.AsDouble().ToString("G4", CultureInfo.InvariantCulture) : value.ToString();

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
