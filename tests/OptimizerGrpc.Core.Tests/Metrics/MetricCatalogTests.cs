using OptimizerGrpc.Core.Metrics;

namespace OptimizerGrpc.Core.Tests.Metrics;

public sealed class MetricCatalogTests
{
    [Fact]
    public void All_ListsTheThirteenMetricsWithUniqueSnakeCaseNames()
    {
        string[] expected =
        [
            "total_return", "annualized_return", "annualized_volatility", "max_drawdown", "max_drawdown_duration",
            "sharpe_ratio", "sortino_ratio", "calmar_ratio", "win_rate", "profit_factor", "expectancy", "trades", "exposure",
        ];

        Assert.Equal(expected, MetricCatalog.All.Select(m => m.Name));
        Assert.All(MetricCatalog.All, m => Assert.False(string.IsNullOrWhiteSpace(m.Description)));
    }

    [Theory]
    [InlineData("max_drawdown", false)]
    [InlineData("max_drawdown_duration", false)]
    [InlineData("annualized_volatility", false)]
    [InlineData("sharpe_ratio", true)]
    [InlineData("profit_factor", true)]
    public void TryGet_KnownName_HasDirection(string name, bool higherIsBetter)
    {
        Assert.True(MetricCatalog.TryGet(name, out var metric));
        Assert.Equal(higherIsBetter, metric.HigherIsBetter);
    }

    [Fact]
    public void TryGet_WrongCase_NotFound()
    {
        Assert.False(MetricCatalog.TryGet("Sharpe_Ratio", out _));
    }
}
