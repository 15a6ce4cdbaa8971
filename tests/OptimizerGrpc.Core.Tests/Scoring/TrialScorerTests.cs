using OptimizerGrpc.Core.Expressions;
using OptimizerGrpc.Core.Metrics;
using OptimizerGrpc.Core.Scoring;

namespace OptimizerGrpc.Core.Tests.Scoring;

public sealed class TrialScorerTests
{
    [Theory]
    [InlineData("a > 1 and b < 2", new[] { "a > 1", "b < 2" })]
    [InlineData("a > 1 && (b < 2 and c) and name == 'x and y'", new[] { "a > 1", "(b < 2 and c)", "name == 'x and y'" })]
    [InlineData("a > 1 and b < 2 or c", new[] { "a > 1 and b < 2 or c" })]
    [InlineData("brand > 1 and operand < 2", new[] { "brand > 1", "operand < 2" })]
    public void Split_TopLevelAnds_OnlyWhenNoTopLevelOr(string text, string[] expected)
    {
        Assert.Equal(expected, ClauseSplitter.Split(text));
    }

    [Fact]
    public void Score_RecordAndClientValues_ServerMetricWinsCustomMetricAndConstraintApplied()
    {
        // Equity 100 -> 110 -> 99: total return -1%, max drawdown 10%.
        var series = new BacktestSeries([100, 110, 99], []);
        var scorer = new TrialScorer(
            new MetricSettings(AnnualizationFactor: 252),
            ["total_return", "max_drawdown"],
            [new CustomMetricDefinition("score", CompiledExpression.Parse("total_return - 0.5 * max_drawdown + bonus"), true)],
            [Constraint("dd", "max_drawdown <= 0.2 and total_return > 0")]);

        var verdict = scorer.Score(new Dictionary<string, double> { ["total_return"] = 5, ["bonus"] = 1 }, series);

        Assert.Equal(-0.01, verdict.Values["total_return"], 12);
        Assert.Equal(0.1, verdict.Values["max_drawdown"], 12);
        Assert.Equal(-0.01 - 0.05 + 1, verdict.Values["score"], 12);
        Assert.False(verdict.Feasible);
        Assert.False(verdict.Failed);
        Assert.Equal("constraint 'dd' failed: total_return > 0 (total_return = -0.01)", verdict.Reason);
    }

    [Fact]
    public void Score_ConstraintNeedsAMissingMetric_FailedNamingIt()
    {
        var scorer = new TrialScorer(MetricSettings.Default, [], [], [Constraint("t", "trades >= 30")]);

        var verdict = scorer.Score(new Dictionary<string, double> { ["sharpe_ratio"] = 1 }, null);

        Assert.True(verdict.Failed);
        Assert.Equal("performance constraint 't' needs 'trades', which the outcome does not have", verdict.Reason);
    }

    [Fact]
    public void Score_InvalidRecord_FailedWithFieldAndIndex()
    {
        var scorer = new TrialScorer(MetricSettings.Default, ["sharpe_ratio"], [], []);

        var verdict = scorer.Score(new Dictionary<string, double>(), new BacktestSeries([1, double.NaN], []));

        Assert.True(verdict.Failed);
        Assert.StartsWith("invalid backtest record: record.equity[1]", verdict.Reason, StringComparison.Ordinal);
    }

    private static PerformanceConstraintDefinition Constraint(string name, string text) =>
        new(name, CompiledExpression.Parse(text), ClauseSplitter.Split(text).Select(CompiledExpression.Parse).ToArray());
}
