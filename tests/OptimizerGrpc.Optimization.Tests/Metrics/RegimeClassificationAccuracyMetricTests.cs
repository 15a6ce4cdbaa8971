namespace OptimizerGrpc.Optimization.Tests.Metrics;

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

    [Fact]
    public void Score_VolatilityDetector_RealisedRegimeIsTheForwardAnnualisedVolatilityAgainstItsThreshold()
    {
        // Log returns ~ +1%, -1%, +1%, +3%, -3%: with horizon 2 the forward pairs of bars 0..3 have sample sd
        // |a - b| / sqrt 2 = 0.0141, 0.0141, 0.0139, 0.0424: with annualisation 1 and threshold 0.012 all are "high".
        double[] close = [100, 101, 99.99, 100.9899, 104.019597, 100.899009];
        var detector = new VolatilityRegimeDetector { LookbackBars = 2, ThresholdVolatility = 0.012, AnnualizationFactor = 1 };
        var metric = new RegimeClassificationAccuracyMetric(horizonBars: 2);

        double Sd(double a, double b) => Math.Abs(a - b) / Math.Sqrt(2);
        var r = Enumerable.Range(1, close.Length - 1).Select(t => Math.Log(close[t] / close[t - 1])).ToArray();
        Assert.Equal([1, 1, 1, 1], Enumerable.Range(0, 4).Select(t => Sd(r[t], r[t + 1]) > 0.012 ? 1 : 0)); // the hand values
        Assert.Equal([1, 1, 1, 1], Enumerable.Range(0, 4).Select(t => detector.RealisedRegime(close, t, 2, 0)));
        Assert.Equal(-1, detector.RealisedRegime(close, 4, 2, 0)); // the horizon runs past the end
        Assert.Equal(-1, detector.RealisedRegime(close, 0, 1, 0)); // one return has no standard deviation

        // Bars 0..3 are scored (bar 4's horizon runs past the end), all realised high; labels 1, 0, 1, -1 match two.
        Assert.Equal(0.5, metric.Score(close, [1, 0, 1, -1, -1, -1], warmupBars: 0, detector), 12);
    }
}
