namespace OptimizerGrpc.Optimization.Tests;

public sealed class RegimeClassificationAccuracyMetricTests
{
    // Horizon 1, band 5%: forward returns +10%, -10%, 0%, +21.2% are realised up, down, sideways, up.
    private static readonly double[] Close = [100, 110, 99, 99, 120];

    [Fact]
    public void Score_LabelsAgainstRealisedRegimes_IsTheShareOfMatches()
    {
        var metric = new RegimeClassificationAccuracyMetric(horizonBars: 1, band: 0.05);

        // Labels up, down, up, sideways match the realised up, down, sideways, up on the first two bars only.
        Assert.Equal(0.5, metric.Score(Close, [1, 2, 1, 0, 0], warmupBars: 0), 12);
        Assert.Equal(1.0, metric.Score(Close, [1, 2, 0, 1, 0], warmupBars: 0), 12);
        Assert.Equal(0.0, metric.Score(Close, [1, 2, 1, 0, 0], warmupBars: 2), 12); // only bars 2 and 3 are scored
    }

    [Fact]
    public void Score_NoBarAfterWarmupAndHorizon_IsZero()
    {
        var metric = new RegimeClassificationAccuracyMetric(horizonBars: 4, band: 0.05);

        Assert.Equal(0.0, metric.Score(Close, [0, 0, 0, 0, 0], warmupBars: 1));
    }

    [Fact]
    public void Constructor_BadSettings_SayWhatIsAllowed()
    {
        Assert.Contains("at least 1 bar", Assert.Throws<ArgumentOutOfRangeException>(() => new RegimeClassificationAccuracyMetric(0)).Message);
        Assert.Contains(">= 0", Assert.Throws<ArgumentOutOfRangeException>(() => new RegimeClassificationAccuracyMetric(5, -0.1)).Message);
    }
}
