using OptimizerGrpc.Client;

namespace OptimizerGrpc.Optimization.Tests.Analysis;

public sealed class AnalysisVerdictTests
{
    private static readonly NeighbourhoodScoreInfo Best = new()
    {
        TrialNumber = 140, Score = 0.482, NeighbourhoodMean = 0.31, Neighbours = 6, IsolatedPeak = true, OnHighEdge = ["ma.slow"],
    };

    private static readonly NeighbourhoodScoreInfo Pick = new() { TrialNumber = 123, Score = 0.4512, NeighbourhoodMean = 0.4301, Neighbours = 8 };

    private static StageAnalysisInfo Stage() => new()
    {
        StageId = "stage-0",
        Metric = "sharpe_ratio",
        CompletedTrials = 360,
        Importance = [new("ma.fast", 0.05, 0.1), new("ma.slow", 0.62, 1.2), new("filter.fast", 0.3, 0.6), new("filter.slow", 0.03, 0.05)],
        Robustness = new RobustnessInfo([Best, Pick], Best, Pick, 0.2, 0.282),
        Overfitting = new OverfittingStatisticsInfo(
            new SharpeStatisticsInfo
            {
                Periods = 9310, AnnualizedSharpeRatio = 0.8523, ProbabilisticSharpeRatio = 0.9991, DeflatedSharpeRatio = 0.8712, Trials = 360, MinTrackRecordLength = 1233.2,
            },
            new BacktestOverfittingInfo { Blocks = 16, Combinations = 12_870, Probability = 0.2311, ProbabilityOfLoss = 0.104 },
            []),
    };

    [Fact]
    public void Format_FullAnalysis_ImportanceTop3RobustPickDsrAndPbo()
    {
        Assert.Equal(
        [
            "importance  ma.slow 0.62, filter.fast 0.30, ma.fast 0.05",
            "best        trial 140 (score 0.4820, neighbours 0.3100 over 6, isolated peak, at the edge: ma.slow)",
            "robust pick trial 123 (score 0.4512, neighbours 0.4301 over 8)",
            "DSR         0.87: not significant at 95% after 360 trials (PSR 1.00, annualised Sharpe 0.85, MinTRL 1,234 of 9,310 periods)",
            "PBO         0.23 over 12,870 combinations of 16 blocks (probability of loss 0.10)",
        ],
        AnalysisVerdict.Format(Stage()));
    }

    [Fact]
    public void Format_RobustPickIsTheBest_SaysSo()
    {
        var best = Pick with { TrialNumber = 7 };
        var stage = Stage() with { Robustness = new RobustnessInfo([best], best, best, 0.2, 0.25) };

        Assert.Equal(["best        trial 7 (score 0.4512, neighbours 0.4301 over 8)", "robust pick the best trial"], AnalysisVerdict.Format(stage).Skip(1).Take(2));
    }

    [Fact]
    public void Format_NoNeighbours_SaysThereIsNoRobustPick()
    {
        var lone = new NeighbourhoodScoreInfo { TrialNumber = 3, Score = 1.5, NeighbourhoodMean = double.NaN };
        var stage = Stage() with { Robustness = new RobustnessInfo([lone], lone, null, 1.5, 0) };

        Assert.Equal(["best        trial 3 (score 1.5000, no neighbours)", "robust pick none: no trial has a neighbour"], AnalysisVerdict.Format(stage).Skip(1).Take(2));
    }

    [Fact]
    public void Format_SignificantWinnerWithoutATrackRecord_SaysSignificantAndNever()
    {
        var stage = Stage() with
        {
            Overfitting = Stage().Overfitting! with
            {
                Winner = new SharpeStatisticsInfo { Periods = 100, DeflatedSharpeRatio = 0.95, Trials = 2, MinTrackRecordLength = double.PositiveInfinity },
            },
        };

        Assert.Equal("DSR         0.95: significant at 95% after 2 trials (PSR 0.00, annualised Sharpe 0.00, MinTRL never of 100 periods)", AnalysisVerdict.Format(stage)[3]);
    }

    [Fact]
    public void Format_FlatWinner_NoSharpeRatioReadsNotAvailable()
    {
        var stage = Stage() with
        {
            Overfitting = Stage().Overfitting! with
            {
                Winner = new SharpeStatisticsInfo
                {
                    Periods = 1977, SharpeRatio = double.NaN, AnnualizedSharpeRatio = double.NaN, ProbabilisticSharpeRatio = double.NaN,
                    DeflatedSharpeRatio = double.NaN, Trials = 276, MinTrackRecordLength = double.PositiveInfinity,
                },
            },
        };

        Assert.Equal("DSR         n/a (PSR n/a, annualised Sharpe n/a, MinTRL never of 1,977 periods)", AnalysisVerdict.Format(stage)[3]);
    }

    [Fact]
    public void Format_ValuesOnly_GivesTheReasons()
    {
        var stage = Stage() with
        {
            Overfitting = new OverfittingStatisticsInfo(null, null, ["winner statistics: values only", "probability of backtest overfitting: values only"]),
        };

        var lines = AnalysisVerdict.Format(stage);

        Assert.Equal(["unavailable winner statistics: values only", "unavailable probability of backtest overfitting: values only"], lines.Skip(3));
    }

    [Fact]
    public void Format_NoCompletedTrials_SaysWhyTheLandscapeIsMissing()
    {
        var stage = new StageAnalysisInfo { StageId = "stage-2", Unavailable = "no completed trials" };

        Assert.Equal(["landscape   unavailable: no completed trials"], AnalysisVerdict.Format(stage));
    }
}
