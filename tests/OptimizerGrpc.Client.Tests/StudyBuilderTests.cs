using V1 = OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Client.Tests;

public sealed class StudyBuilderTests
{
    [Fact]
    public void Build_FullSpec_SetsEveryPart()
    {
        var spec = new StudyBuilder("demo")
            .Target("ma", t => t.Int("fast", 2, 50, step: 2, defaultValue: 10).LogFloat("lr", 1e-4, 1e-1)
                .Categorical("kind", ["sma", "ema"]).Values("w", 1, 2.5, "x"), V1.TargetKind.RuleParameters)
            .Maximize("sharpe_ratio").Minimize("max_drawdown", weight: 0.5)
            .Genetic(populationSize: 30, mutationRate: 0.1).Seed(7)
            .MaxTrials(200).MaxAttempts(4).LeaseDuration(TimeSpan.FromSeconds(90))
            .Relationship("ma.fast < 40").Performance("max_drawdown <= 0.25", name: "dd")
            .Data("nyse", 9311)
            .Build();

        var ma = Assert.Single(spec.Targets);
        Assert.Equal(V1.TargetKind.RuleParameters, ma.Kind);
        Assert.Equal(new V1.IntRange { Low = 2, High = 50, Step = 2 }, ma.Parameters[0].IntRange);
        Assert.Equal(10, ma.Parameters[0].DefaultValue.IntValue);
        Assert.True(ma.Parameters[1].FloatRange.Log);
        Assert.Equal(["sma", "ema"], ma.Parameters[2].Categorical.Choices);
        Assert.Equal(V1.ParameterValue.KindOneofCase.FloatValue, ma.Parameters[3].Values.Values[1].KindCase);
        Assert.Equal([V1.Direction.Maximize, V1.Direction.Minimize], spec.Objectives.Select(o => o.Direction));
        Assert.Equal(0.5, spec.Objectives[1].Weight);
        Assert.False(spec.Objectives[0].HasWeight);
        Assert.Equal((30, false, 0.1), (spec.Method.Genetic.PopulationSize, spec.Method.Genetic.HasGenerations, spec.Method.Genetic.MutationRate));
        Assert.Equal(7UL, spec.Method.Seed);
        Assert.Equal((200L, 4), (spec.MaxTrials, spec.MaxAttempts));
        Assert.Equal(90, spec.LeaseDuration.Seconds);
        Assert.Equal("ma.fast < 40", spec.Constraints[0].Relationship.Expression);
        Assert.Equal(("dd", "max_drawdown <= 0.25"), (spec.Constraints[1].Name, spec.Constraints[1].Performance.Expression));
        Assert.Equal(9311, spec.Data.BarCount);
    }

    [Fact]
    public void Method_LastCallWins_AndSeedSurvives()
    {
        var spec = new StudyBuilder("x").Target("t", t => t.Float("a", 0, 1)).Seed(3).RandomSearch().Bayesian(initialTrials: 5).Build();

        Assert.Equal(V1.MethodSpec.KindOneofCase.Bayesian, spec.Method.KindCase);
        Assert.Equal((5, 3UL), (spec.Method.Bayesian.NInitial, spec.Method.Seed));
    }

    [Fact]
    public void Build_ReturnsCopy()
    {
        var builder = new StudyBuilder("x").Target("t", t => t.Float("a", 0, 1));
        var first = builder.Build();

        builder.MaxTrials(5);

        Assert.Equal(0, first.MaxTrials);
    }

    [Fact]
    public void InvalidDomains_ThrowWithParameterName()
    {
        var builder = new StudyBuilder("x");

        var error = Assert.Throws<ArgumentException>(() => builder.Target("t", t => t.Int("a", 5, 1)));
        Assert.Contains("t.a", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => builder.Target("t", t => t.LogFloat("a", 0, 1)));
        Assert.Throws<ArgumentException>(() => builder.Target("t", t => t.Float("a", 0, 1).Float("a", 0, 2)));
        Assert.Throws<ArgumentException>(() => builder.Target("t", t => t.Categorical("c", [])));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.Genetic(mutationRate: 1.5));
        Assert.Throws<InvalidOperationException>(builder.Build);
    }
}
