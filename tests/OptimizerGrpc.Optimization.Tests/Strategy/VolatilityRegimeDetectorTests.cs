using OptimizerGrpc.Trading;

namespace OptimizerGrpc.Optimization.Tests.Strategy;

public sealed class VolatilityRegimeDetectorTests
{
    // Closes whose log returns are exactly these (bar 0 has none): 100·exp(cumulative sum).
    private static readonly double[] Returns = [0.01, -0.01, 0.02, 0.00, 0.00, 0.00, 0.05, -0.05];

    private static double[] Closes()
    {
        var close = new double[Returns.Length + 1];
        close[0] = 100;
        for (var t = 1; t < close.Length; t++)
        {
            close[t] = close[t - 1] * Math.Exp(Returns[t - 1]);
        }

        return close;
    }

    // Annualised volatility (Hull: sample std with n − 1, times sqrt(252)) of each 3-return window, by hand:
    //   bar 3 {0.01, −0.01, 0.02}: mean 0.02/3; squared deviations 1/9e-4 + 25/9e-4 + 16/9e-4 = 42/9e-4; /2 = 7/3e-4;
    //         s = 0.0152753; σ = s·sqrt(252) = 0.242487
    //   bar 4 {−0.01, 0.02, 0}: mean 0.01/3; squared deviations 16/9e-4 + 25/9e-4 + 1/9e-4: the same σ 0.242487
    //   bar 5 {0.02, 0, 0}: mean 0.02/3; squared deviations 16/9e-4 + 4/9e-4 + 4/9e-4 = 24/9e-4; /2 = 4/3e-4; σ = 0.183303
    //   bar 6 {0, 0, 0}: σ = 0
    //   bar 7 {0, 0, 0.05}: mean 0.05/3; squared deviations 25/9e-4 · 2 + 100/9e-4 = 150/9e-4; /2 = 25/3e-4; σ = 0.458258
    //   bar 8 {0, 0.05, −0.05}: mean 0; squared deviations 50e-4; /2 = 25e-4; s = 0.05; σ = 0.793725
    [Theory]
    [InlineData(0.20, new[] { -1, -1, -1, 1, 1, 0, 0, 1, 1 })]
    [InlineData(0.2424, new[] { -1, -1, -1, 1, 1, 0, 0, 1, 1 })]
    [InlineData(0.2426, new[] { -1, -1, -1, 0, 0, 0, 0, 1, 1 })]
    [InlineData(0.1832, new[] { -1, -1, -1, 1, 1, 1, 0, 1, 1 })]
    [InlineData(0.4582, new[] { -1, -1, -1, 0, 0, 0, 0, 1, 1 })]
    [InlineData(0.4583, new[] { -1, -1, -1, 0, 0, 0, 0, 0, 1 })]
    [InlineData(0.7937, new[] { -1, -1, -1, 0, 0, 0, 0, 0, 1 })]
    [InlineData(0.7938, new[] { -1, -1, -1, 0, 0, 0, 0, 0, 0 })]
    public void Detect_HandMadeSeries_ComparesAnnualisedSampleStdWithTheThreshold(double threshold, int[] expected)
    {
        var detector = new VolatilityRegimeDetector { LookbackBars = 3, ThresholdVolatility = threshold };

        Assert.Equal(expected, detector.Detect(Closes()));
    }

    [Fact]
    public void Detect_AnnualizationFactor_ScalesTheStdBySquareRoot()
    {
        // Per-bar std at bar 8 is 0.05 exactly; with 4 bars a year σ = 0.05 · 2 = 0.10.
        var labels = (double threshold) => new VolatilityRegimeDetector { LookbackBars = 3, ThresholdVolatility = threshold, AnnualizationFactor = 4 }.Detect(Closes())[8];

        Assert.Equal(1, labels(0.0999));
        Assert.Equal(0, labels(0.1001));
    }

    [Fact]
    public void Detect_FuturePricesChange_PastLabelsDoNot()
    {
        var close = new CsvDataHandler().Load(Repository.File("samples", "data", "nyse_composite_daily_1966_2002.csv")).Close;
        var changed = (double[])close.Clone();
        for (var t = 5000; t < changed.Length; t++)
        {
            changed[t] *= 1 + (0.3 * Math.Sin(t)); // a wild future: every return after bar 5000 changes
        }

        var detector = new VolatilityRegimeDetector { LookbackBars = 20, ThresholdVolatility = 0.12 };
        var before = detector.Detect(close);
        var after = detector.Detect(changed);

        Assert.Equal(before.AsSpan(0, 5000).ToArray(), after.AsSpan(0, 5000).ToArray());
        Assert.NotEqual(before.AsSpan(5000).ToArray(), after.AsSpan(5000).ToArray());
        Assert.All(before.Take(20), l => Assert.Equal(-1, l));
        Assert.All(before.Skip(20), l => Assert.InRange(l, 0, 1));
        Assert.Contains(0, before);
        Assert.Contains(1, before);
    }

    [Theory]
    [InlineData(1, 0.15)]
    [InlineData(2.5, 0.15)]
    [InlineData(20, 0)]
    [InlineData(20, -0.1)]
    [InlineData(20, double.NaN)]
    [InlineData(20, double.PositiveInfinity)]
    public void SetParameters_InvalidValues_ThrowAndLeaveTheDetectorUnchanged(double lookback, double threshold)
    {
        var detector = new VolatilityRegimeDetector();
        var values = new Dictionary<string, double> { ["lookback"] = lookback, ["threshold"] = threshold };

        Assert.NotNull(VolatilityRegimeDetector.Check(lookback, threshold));
        Assert.NotNull(detector.Check(values));
        Assert.Throws<ArgumentException>(() => detector.SetParameters(values));
        Assert.Throws<ArgumentException>(() => detector.With(values));
        Assert.Equal((20, 0.15), (detector.LookbackBars, detector.ThresholdVolatility));
    }

    [Fact]
    public void Check_UnknownParameter_IsNamed()
    {
        var error = new VolatilityRegimeDetector().Check(new Dictionary<string, double> { ["window"] = 20 });

        Assert.Equal("unknown parameter 'window'; expected lookback, threshold.", error);
    }

    [Fact]
    public void With_Parameters_CopiesWithoutChangingTheOriginal()
    {
        var detector = new VolatilityRegimeDetector { LookbackBars = 30, ThresholdVolatility = 0.2, AnnualizationFactor = 52 };

        var copy = Assert.IsType<VolatilityRegimeDetector>(detector.With(new Dictionary<string, double> { ["threshold"] = 0.3 }));

        Assert.Equal((30, 0.3, 52.0), (copy.LookbackBars, copy.ThresholdVolatility, copy.AnnualizationFactor));
        Assert.Equal((30, 0.2), (detector.LookbackBars, detector.ThresholdVolatility));
        Assert.Equal(30, copy.WarmupBars);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-5.0)]
    [InlineData(double.NaN)]
    public void Detect_NonPositiveClose_Throws(double bad)
    {
        var close = Closes();
        close[4] = bad;

        var error = Assert.Throws<ArgumentException>(() => new VolatilityRegimeDetector { LookbackBars = 3 }.Detect(close));
        Assert.StartsWith("close[4] is", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnnualizationFactor_NotPositive_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new VolatilityRegimeDetector { AnnualizationFactor = 0 });

    [Fact]
    public void RegimeDetectorTarget_VolatilityDetector_SearchesItsOwnSpaceAndResets()
    {
        var detector = new VolatilityRegimeDetector();
        var target = new RegimeDetectorTarget(detector);

        Assert.Same(VolatilityRegimeDetector.DefaultSpace, target.GetParameterSpace());
        Assert.Equal(["low_volatility", "high_volatility"], target.Detector.RegimeNames);
        target.SetParameters(new Dictionary<string, double> { ["lookback"] = 40, ["threshold"] = 0.25 });
        Assert.Equal((40, 0.25), (detector.LookbackBars, detector.ThresholdVolatility));
        Assert.Equal(new Dictionary<string, double> { ["lookback"] = 40, ["threshold"] = 0.25 }, target.GetParameters());
        Assert.False(target.ValidateParameters(new Dictionary<string, double> { ["threshold"] = 0 }).IsValid);
        target.Reset();
        Assert.Equal((20, 0.15), (detector.LookbackBars, detector.ThresholdVolatility));
        Assert.Equal("lookback, threshold of a VolatilityRegimeDetector", target.GetMetadata().Description);
        Assert.Throws<ArgumentException>(() => new RegimeDetectorTarget(detector, new Dictionary<string, ParameterDomain> { ["window"] = ParameterDomain.List([10]) }));
    }
}
