using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Core.Analysis;

/// <summary>One walk-forward window: its bars, the in-sample winner and both sides' metrics (null when not run).</summary>
public sealed record WalkForwardWindowSummary(
    int Index,
    BarRange InSample,
    BarRange OutOfSample,
    IReadOnlyList<KeyValuePair<string, ParamValue>> BestParams,
    IReadOnlyDictionary<string, double>? InSampleMetrics,
    IReadOnlyDictionary<string, double>? OutOfSampleMetrics);

/// <summary>Walk-forward statistics of a study (see <see cref="WalkForwardAnalysis"/>).</summary>
public sealed record WalkForwardSummary(
    IReadOnlyList<WalkForwardWindowSummary> Windows,
    IReadOnlyList<double> StitchedEquity,
    double StitchedReturn,
    double ProfitableWindowShare,
    double Efficiency,
    IReadOnlyDictionary<string, double> ParameterStability);

/// <summary>
/// Per-window in- and out-of-sample metrics of the winners, the stitched out-of-sample equity (each window's curve
/// continues from the previous one's end), walk-forward efficiency (mean annualised out-of-sample return over mean
/// annualised in-sample return; Pardo 2008), the share of profitable windows, and the coefficient of variation of each
/// numeric parameter across windows (population standard deviation over |mean|; the standard deviation when the mean
/// is 0; 0 = the same winner every time).
/// </summary>
public static class WalkForwardAnalysis
{
    /// <param name="stages">The study's stages; in-sample stages have even indices, validation stages odd ones.</param>
    public static WalkForwardSummary Summarize(IReadOnlyList<StageView> stages)
    {
        ArgumentNullException.ThrowIfNull(stages);
        var windows = new List<WalkForwardWindowSummary>();
        var stitched = new List<double> { 1.0 };
        var inSample = new List<double>();
        var outOfSample = new List<double>();
        int profitable = 0;
        var chosen = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        foreach (var pair in stages.Where(s => s.Definition.WindowIndex is not null).GroupBy(s => s.Definition.WindowIndex!.Value).OrderBy(g => g.Key))
        {
            var optimise = pair.First(s => s.Index % 2 == 0);
            var validate = pair.First(s => s.Index % 2 == 1);
            var parameters = new List<KeyValuePair<string, ParamValue>>();
            IReadOnlyDictionary<string, double>? inMetrics = null, outMetrics = null;
            if (optimise.Best is { } winner)
            {
                foreach (var (name, value) in winner.NamedParams().Where(p => optimise.Definition.Targets.Any(t => p.Key.StartsWith(t + ".", StringComparison.Ordinal))))
                {
                    parameters.Add(KeyValuePair.Create(name, value));
                    if (value.Kind is ParamKind.Int or ParamKind.Float && value.TryAsNumber(out double x))
                    {
                        (chosen.TryGetValue(name, out var list) ? list : chosen[name] = []).Add(x);
                    }
                }

                inMetrics = winner.Values;
                if (winner.Values.TryGetValue("annualized_return", out double a))
                {
                    inSample.Add(a);
                }
            }

            if (validate.Best is { } oos)
            {
                outMetrics = oos.Values;
                if (oos.Values.TryGetValue("annualized_return", out double a))
                {
                    outOfSample.Add(a);
                }

                if (oos.Values.TryGetValue("total_return", out double r) && r > 0)
                {
                    profitable++;
                }

                double start = stitched[^1];
                stitched.AddRange(oos.WindowEquity.Skip(1).Select(e => start * e));
            }

            windows.Add(new WalkForwardWindowSummary(pair.Key, RangeOf(optimise), RangeOf(validate), parameters, inMetrics, outMetrics));
        }

        var stability = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, values) in chosen)
        {
            double mean = values.Average();
            double sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
            stability[name] = mean == 0 ? sd : sd / Math.Abs(mean);
        }

        return new WalkForwardSummary(
            windows,
            stitched,
            stitched[^1] - 1,
            windows.Count == 0 ? 0 : (double)profitable / windows.Count,
            Efficiency(inSample, outOfSample),
            stability);
    }

    /// <summary>Mean out-of-sample over mean in-sample annualised return; 0 when either side is missing or the in-sample mean is 0.</summary>
    public static double Efficiency(IReadOnlyCollection<double> inSample, IReadOnlyCollection<double> outOfSample)
    {
        ArgumentNullException.ThrowIfNull(inSample);
        ArgumentNullException.ThrowIfNull(outOfSample);
        return inSample.Count > 0 && outOfSample.Count > 0 && inSample.Average() != 0 ? outOfSample.Average() / inSample.Average() : 0;
    }

    private static BarRange RangeOf(StageView stage) => stage.Definition.Context is WindowContext w ? w.Window : default;
}
