using OptimizerGrpc.Core.Analysis;
using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Sequences;
using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;
using static OptimizerGrpc.Core.Tests.Analysis.AnalysisFixture;

namespace OptimizerGrpc.Core.Tests.Analysis;

public sealed class WalkForwardAnalysisTests
{
    // Only the ma target is searched per window; risk.size stays fixed.
    private static readonly SearchSpace Space = new([
        new SearchParameter("ma.fast", new IntDomain(1, 10, 1)),
        new SearchParameter("ma.bias", new FloatDomain(-1, 1, null, false)),
        new SearchParameter("ma.kind", new CategoricalDomain(["ema", "sma"])),
        new SearchParameter("risk.size", new IntDomain(1, 3, 1)),
    ]);

    // 100 bars, in 40, out 20, step 40: window 0 is [0, 40)/[40, 60), window 1 is [40, 80)/[80, 100).
    private static readonly IReadOnlyList<StageDefinition> Stages = SequencePlanner.Plan(
        new WalkForwardSequence(new StageTemplate("", ["ma"], null, [], null, "p"), 40, 20, 40, false, false),
        new PlanningContext(Space, ["ma", "risk"], new RandomSettings(), 1, [new("sharpe_ratio", true)], null, 50, new DataDescription(100, [], [])));

    private static TrialRecord InSample(long number, int window, long fast, double bias, string kind, double annualized) =>
        Trial(number, 2 * window, [ParamValue.Int(fast), ParamValue.Float(bias), ParamValue.String(kind), ParamValue.Int(2)], [1], Values(("annualized_return", annualized)), space: Space);

    private static TrialRecord OutOfSample(long number, int window, double annualized, double total, double[] equity) =>
        Trial(number, (2 * window) + 1, [ParamValue.Int(1), ParamValue.Float(0), ParamValue.String("ema"), ParamValue.Int(2)], [1], Values(("annualized_return", annualized), ("total_return", total)), space: Space)
        with { WindowEquity = equity };

    private static readonly TrialRecord Is0 = InSample(5, 0, 2, -0.5, "ema", 0.20);
    private static readonly TrialRecord Is1 = InSample(9, 1, 4, 0.5, "sma", 0.40);
    private static readonly TrialRecord Oos0 = OutOfSample(6, 0, 0.10, 0.21, [1, 1.1, 1.21]);
    private static readonly TrialRecord Oos1 = OutOfSample(10, 1, -0.04, -0.1, [1, 0.9]);

    [Fact]
    public void Summarize_TwoWindows_WindowsWithBarsWinnersAndMetrics()
    {
        var summary = WalkForwardAnalysis.Summarize([View(Stages[0], Is0), View(Stages[1], Oos0), View(Stages[2], Is1), View(Stages[3], Oos1)]);

        Assert.Equal([0, 1], summary.Windows.Select(w => w.Index));
        Assert.Equal([new BarRange(0, 40), new BarRange(40, 80)], summary.Windows.Select(w => w.InSample));
        Assert.Equal([new BarRange(40, 60), new BarRange(80, 100)], summary.Windows.Select(w => w.OutOfSample));
        // The winner's values of the searched target only (risk.size is fixed), with full names.
        Assert.Equal(
            [KeyValuePair.Create("ma.fast", ParamValue.Int(2)), KeyValuePair.Create("ma.bias", ParamValue.Float(-0.5)), KeyValuePair.Create("ma.kind", ParamValue.String("ema"))],
            summary.Windows[0].BestParams);
        Assert.Same(Is1.Values, summary.Windows[1].InSampleMetrics);
        Assert.Same(Oos1.Values, summary.Windows[1].OutOfSampleMetrics);
    }

    [Fact]
    public void Summarize_TwoWindows_StitchedEquityContinuesEachWindowFromThePreviousEnd()
    {
        var summary = WalkForwardAnalysis.Summarize([View(Stages[0], Is0), View(Stages[1], Oos0), View(Stages[2], Is1), View(Stages[3], Oos1)]);

        // Window 0: 1, 1.1, 1.21; window 1 starts at 1.21 and falls 10%: 1.21 * 0.9 = 1.089.
        Assert.Equal([1, 1.1, 1.21, 1.089], summary.StitchedEquity, (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal(0.089, summary.StitchedReturn, 12);
    }

    [Fact]
    public void Summarize_TwoWindows_EfficiencyProfitableShareAndStability()
    {
        var summary = WalkForwardAnalysis.Summarize([View(Stages[0], Is0), View(Stages[1], Oos0), View(Stages[2], Is1), View(Stages[3], Oos1)]);

        // Efficiency: mean OOS (0.10 - 0.04) / 2 = 0.03 over mean IS (0.20 + 0.40) / 2 = 0.30 = 0.1.
        Assert.Equal(0.1, summary.Efficiency, 12);
        // Total returns 0.21 and -0.1: one window of two is profitable.
        Assert.Equal(0.5, summary.ProfitableWindowShare);
        // ma.fast 2 and 4: mean 3, population sd sqrt((1 + 1) / 2) = 1, cv 1/3. ma.bias -0.5 and 0.5: mean 0, so the sd 0.5.
        // ma.kind is categorical and risk.size is not searched: neither has a stability.
        Assert.Equal(["ma.fast", "ma.bias"], summary.ParameterStability.Keys);
        Assert.Equal(1.0 / 3, summary.ParameterStability["ma.fast"], 12);
        Assert.Equal(0.5, summary.ParameterStability["ma.bias"], 12);
    }

    [Fact]
    public void Summarize_SecondWindowNotValidated_CountedButNotStitched()
    {
        var summary = WalkForwardAnalysis.Summarize([View(Stages[0], Is0), View(Stages[1], Oos0), View(Stages[2], Is1), View(Stages[3], null, StageState.Pending)]);

        Assert.Null(summary.Windows[1].OutOfSampleMetrics);
        Assert.Equal([1, 1.1, 1.21], summary.StitchedEquity);
        Assert.Equal(0.5, summary.ProfitableWindowShare); // 1 profitable of 2 windows
        Assert.Equal(0.10 / 0.30, summary.Efficiency, 12); // OOS mean 0.10 over IS mean (0.20 + 0.40) / 2
    }

    [Fact]
    public void Summarize_SameWinnerEveryWindow_StabilityZero()
    {
        var again = InSample(9, 1, 2, -0.5, "ema", 0.40);

        var summary = WalkForwardAnalysis.Summarize([View(Stages[0], Is0), View(Stages[1], null), View(Stages[2], again), View(Stages[3], null)]);

        Assert.Equal(0, summary.ParameterStability["ma.fast"]);
        Assert.Equal(0, summary.ParameterStability["ma.bias"]);
        Assert.Equal(0, summary.Efficiency); // no out-of-sample side
    }

    [Fact]
    public void Summarize_NoWindows_EmptySummaryStartingAtOne()
    {
        var summary = WalkForwardAnalysis.Summarize([]);

        Assert.Empty(summary.Windows);
        Assert.Equal([1.0], summary.StitchedEquity);
        Assert.Equal(0, summary.StitchedReturn);
        Assert.Equal(0, summary.ProfitableWindowShare);
        Assert.Equal(0, summary.Efficiency);
        Assert.Empty(summary.ParameterStability);
    }

    [Theory]
    [InlineData(new[] { 0.2, 0.4 }, new[] { 0.1, -0.04 }, 0.1)] // 0.03 / 0.30
    [InlineData(new[] { 0.2 }, new[] { 0.3 }, 1.5)]
    [InlineData(new[] { -0.2 }, new[] { 0.1 }, -0.5)]
    [InlineData(new[] { 0.1, -0.1 }, new[] { 0.2 }, 0)] // in-sample mean 0
    [InlineData(new double[0], new[] { 0.2 }, 0)]
    [InlineData(new[] { 0.2 }, new double[0], 0)]
    public void Efficiency_MeansOfBothSides_OutOfSampleOverInSample(double[] inSample, double[] outOfSample, double expected)
    {
        Assert.Equal(expected, WalkForwardAnalysis.Efficiency(inSample, outOfSample), 12);
    }
}
