using OptimizerGrpc.Core.Analysis.Landscape;

namespace OptimizerGrpc.Core.Tests.Analysis.Landscape;

public sealed class LandscapeOptionsTests
{
    [Fact]
    public void Default_StatesTheDocumentedDefaults()
    {
        var o = LandscapeOptions.Default;

        o.Validate();
        Assert.Equal((10, 50), (o.Bins, o.MaxLevels));
        Assert.Equal(new ImportanceOptions(0.1, 50), o.Importance);
        Assert.Equal(new SensitivityOptions(4), o.Sensitivity);
        Assert.Equal(new RobustnessOptions(10, 0.5), o.Robustness);
        Assert.Equal(new ModeOptions(0.1, 0.1, 5, 10_000), o.Modes);
    }

    [Fact]
    public void Validate_EveryValueOutOfRange_NamesEachWithItsAllowedRange()
    {
        var o = new LandscapeOptions(Bins: 1, MaxLevels: 1001)
        {
            Importance = new ImportanceOptions(TopFraction: 0, GridSteps: 1),
            Sensitivity = new SensitivityOptions(PairParameters: 11),
            Robustness = new RobustnessOptions(TopTrials: 0, IsolationFraction: -0.5),
            Modes = new ModeOptions(TopFraction: 1.5, Radius: 0, MinPoints: 0, MaxTrials: 100_001),
        };

        var e = Assert.Throws<ArgumentException>(o.Validate);

        Assert.Contains("bins: must be between 2 and 1000, got 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("max_levels: must be between 2 and 1000, got 1001", e.Message, StringComparison.Ordinal);
        Assert.Contains("importance.top_fraction: must be greater than 0 and at most 1, got 0", e.Message, StringComparison.Ordinal);
        Assert.Contains("importance.grid_steps: must be between 2 and 1000", e.Message, StringComparison.Ordinal);
        Assert.Contains("sensitivity.pair_parameters: must be between 0 and 10", e.Message, StringComparison.Ordinal);
        Assert.Contains("robustness.top_trials: must be between 1 and 1000", e.Message, StringComparison.Ordinal);
        Assert.Contains("robustness.isolation_fraction: must be between 0 and 10", e.Message, StringComparison.Ordinal);
        Assert.Contains("modes.top_fraction: must be greater than 0 and at most 1, got 1.5", e.Message, StringComparison.Ordinal);
        Assert.Contains("modes.radius: must be between 0.001 and 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("modes.min_points: must be between 1 and 1000", e.Message, StringComparison.Ordinal);
        Assert.Contains("modes.max_trials: must be between 1 and 100000", e.Message, StringComparison.Ordinal);
    }
}
