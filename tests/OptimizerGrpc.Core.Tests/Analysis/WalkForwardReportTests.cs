using OptimizerGrpc.Core.Analysis;
using OptimizerGrpc.Core.Analysis.Overfitting;
using OptimizerGrpc.Core.Numerics;
using OptimizerGrpc.Core.Studies;
using static OptimizerGrpc.Core.Tests.Analysis.AnalysisFixture;

namespace OptimizerGrpc.Core.Tests.Analysis;

public sealed class WalkForwardReportTests
{
    private static readonly OverfittingOptions Options = new();

    private static readonly Dictionary<string, double> Drift = Values(("ma.fast", 0.25));

    private static WalkForwardWindowSummary Window(int index, IReadOnlyDictionary<string, double>? inSample, IReadOnlyDictionary<string, double>? outOfSample) =>
        new(index, new BarRange(index * 10, (index * 10) + 10), new BarRange((index * 10) + 10, (index * 10) + 15), [], inSample, outOfSample);

    private static WalkForwardSummary Summary(IReadOnlyList<double> stitched, params WalkForwardWindowSummary[] windows) =>
        new(windows, stitched, stitched[^1] - 1, 0.75, double.NaN, Drift);

    // n + 1 points alternating 1, 2, 1, ...: returns +1 and −0.5 in turn.
    private static double[] Alternating(int points) => [.. Enumerable.Range(0, points).Select(t => t % 2 == 0 ? 1.0 : 2.0)];

    [Fact]
    public void Build_Windows_EfficiencyIsOutOfSampleOverInSampleAnnualizedReturn()
    {
        var summary = Summary(
            Alternating(33),
            Window(0, Values(("annualized_return", 0.2)), Values(("annualized_return", 0.1))),
            Window(1, Values(("annualized_return", 0.4)), Values(("annualized_return", -0.04))),
            Window(2, Values(("annualized_return", 0.0)), Values(("annualized_return", 0.1))), // IS = 0
            Window(3, Values(("annualized_return", 0.2)), null), // not validated
            Window(4, Values(("total_return", 0.2)), Values(("annualized_return", 0.1))), // IS metric missing
            Window(5, null, null));

        var report = WalkForwardReports.Build(summary, [], Options);

        // 0.1 / 0.2 = 0.5, −0.04 / 0.4 = −0.1, then NaN for each missing or zero in-sample figure.
        Assert.Equal(6, report.WindowEfficiency.Count);
        Assert.Equal(0.5, report.WindowEfficiency[0], 15);
        Assert.Equal(-0.1, report.WindowEfficiency[1], 15);
        Assert.All(report.WindowEfficiency.Skip(2), e => Assert.True(double.IsNaN(e)));
        Assert.Equal(0.75, report.ProfitableWindowShare);
        Assert.Same(Drift, report.ParameterDrift);
    }

    [Fact]
    public void Build_StitchedCurveOfThirtyTwoReturns_StatisticsAgainstTheInSampleTrials()
    {
        var report = WalkForwardReports.Build(Summary(Alternating(33)), [0.1, 0.2, 0.3], Options);

        // Sixteen +1 and sixteen −0.5: mean 0.25, deviations ±0.75, sample sd 0.75·√(32/31): SR = √(31/32) / 3.
        // Skewness 0 and kurtosis 1, so PSR = Φ(SR·√31) and DSR = Φ((SR − SR0)·√31), SR0 = √V·E[max of 3 normals],
        // V = the sample variance of 0.1, 0.2, 0.3 = 0.01.
        var stitched = report.Stitched!;
        double sr = Math.Sqrt(31.0 / 32) / 3;
        double sr0 = 0.1 * SharpeStatistics.ExpectedMaximumOfStandardNormals(3);
        Assert.Equal(32, stitched.Periods);
        Assert.Equal(sr, stitched.SharpeRatio, 12);
        Assert.Equal(3, stitched.Trials);
        Assert.Equal(0.01, stitched.SharpeVariance, 15);
        Assert.Equal(NormalDistribution.Cdf(sr * Math.Sqrt(31)), stitched.ProbabilisticSharpeRatio, 9);
        Assert.Equal(NormalDistribution.Cdf((sr - sr0) * Math.Sqrt(31)), stitched.DeflatedSharpeRatio, 9);
        Assert.Empty(report.Unavailable);
    }

    [Fact]
    public void Build_OneInSampleTrial_StitchedWithoutDsrAndWhy()
    {
        var report = WalkForwardReports.Build(Summary(Alternating(33)), [0.1], Options);

        Assert.True(double.IsNaN(report.Stitched!.DeflatedSharpeRatio));
        Assert.Equal(["deflated Sharpe ratio: it needs at least 2 completed trials with records"], report.Unavailable);
    }

    [Fact]
    public void Build_StitchedCurveOfThirtyOneReturns_UnavailableWithTheCount()
    {
        var report = WalkForwardReports.Build(Summary(Alternating(32)), [0.1, 0.2, 0.3], Options);

        Assert.Null(report.Stitched);
        Assert.Equal(["stitched statistics: the stitched out-of-sample curve has 31 returns; they need 32"], report.Unavailable);
    }
}
