using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Core.Tests.Studies;

public sealed class SpecViolationsTests
{
    [Fact]
    public void ThrowIfAny_NoViolations_DoesNotThrow()
    {
        var v = new SpecViolations();

        v.ThrowIfAny("invalid spec");

        Assert.False(v.Any);
        Assert.Empty(v.Items);
    }

    [Fact]
    public void ThrowIfAny_TwoViolations_ThrowsBothInOrderWithSummary()
    {
        var v = new SpecViolations();
        v.Add("spec.max_trials", "must be >= 0, got -1");
        v.Add("spec.targets", "name at least one target");

        var error = Assert.Throws<SpecValidationException>(() => v.ThrowIfAny("invalid spec"));

        Assert.True(v.Any);
        Assert.Equal([new SettingsViolation("spec.max_trials", "must be >= 0, got -1"), new SettingsViolation("spec.targets", "name at least one target")], error.Violations);
        Assert.Equal("invalid spec: spec.max_trials: must be >= 0, got -1; spec.targets: name at least one target", error.Message);
    }

    [Fact]
    public void AddAll_MethodViolations_FieldsPrefixed()
    {
        var v = new SpecViolations();

        v.AddAll("spec.method.genetic.", [new SettingsViolation("population_size", "must be between 2 and 100000, got 1")]);

        Assert.Equal([new SettingsViolation("spec.method.genetic.population_size", "must be between 2 and 100000, got 1")], v.Items);
    }

    [Fact]
    public void Single_FieldAndMessage_MessageStatedOnce()
    {
        var error = SpecViolations.Single("spec.seed", "must be set");

        Assert.Equal("spec.seed: must be set", error.Message);
        Assert.Equal([new SettingsViolation("spec.seed", "must be set")], error.Violations);
    }

    [Fact]
    public void Constructor_SummaryNotNamingTheOnlyField_ViolationAppended()
    {
        var error = new SpecValidationException("invalid sequence", [new SettingsViolation("spec.sequence", "empty")]);

        Assert.Equal("invalid sequence: spec.sequence: empty", error.Message);
    }
}
