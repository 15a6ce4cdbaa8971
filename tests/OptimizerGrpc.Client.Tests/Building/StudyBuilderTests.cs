using V1 = OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Client.Tests.Building;

public sealed class StudyBuilderTests
{
    [Fact]
    public void Build_FullSpec_SetsEveryPart()
    {
        var spec = new StudyBuilder("demo")
            .Target("ma", t => t.Int("fast", 2, 50, step: 2, defaultValue: 10).LogFloat("lr", 1e-4, 1e-1)
                .Categorical("kind", ["sma", "ema"]).Values("w", 1, 2.5, "x"), TargetCategory.RuleParameters)
            .Maximize("sharpe_ratio").Minimize("max_drawdown", weight: 0.5)
            .Genetic(populationSize: 30, mutationRate: 0.1).Seed(7)
            .MaxTrials(200).MaxAttempts(4).LeaseDuration(TimeSpan.FromSeconds(90))
            .Relationship("ma.fast < 40").Performance("max_drawdown <= 0.25", name: "dd")
            .Data("nyse", 9311)
            .Build().Spec;

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
        var spec = new StudyBuilder("x").Target("t", t => t.Float("a", 0, 1)).Seed(3).RandomSearch().Bayesian(initialTrials: 5).Build().Spec;

        Assert.Equal(V1.MethodSpec.KindOneofCase.Bayesian, spec.Method.KindCase);
        Assert.Equal((5, 3UL), (spec.Method.Bayesian.NInitial, spec.Method.Seed));
    }

    [Fact]
    public void Build_ReturnsCopy()
    {
        var builder = new StudyBuilder("x").Target("t", t => t.Float("a", 0, 1));
        var first = builder.Build();

        builder.MaxTrials(5);

        Assert.Equal(0, first.Spec.MaxTrials);
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

    [Fact]
    public void Build_Definition_NamesTheStudyAndItsTargets()
    {
        var definition = new StudyBuilder("two").Target("entry", t => t.Int("fast", 5, 45)).Target("exit", t => t.Int("slow", 50, 300)).Build();

        Assert.Equal("two", definition.DisplayName);
        Assert.Equal(["entry", "exit"], definition.TargetNames);
    }

    [Fact]
    public void Method_RecordWithoutSeed_KeepsTheBuildersSeedAndRepeats()
    {
        var spec = Minimal().Seed(9).AllowRepeats().Method(new GeneticSearch { PopulationSize = 6 }).Build().Spec;

        Assert.Equal(new V1.MethodSpec { Genetic = new V1.GeneticSettings { PopulationSize = 6 }, Seed = 9, AllowRepeats = true }, spec.Method);
    }

    [Fact]
    public void Method_RecordWithSeed_ReplacesTheBuildersSeed()
    {
        var spec = Minimal().Seed(9).Method(new RandomSearch { Seed = 4, AllowRepeats = true }).GridSearch(floatPoints: 5).Build().Spec;

        Assert.Equal(new V1.MethodSpec { Grid = new V1.GridSearchSettings { FloatPoints = 5 }, Seed = 4, AllowRepeats = true }, spec.Method);
    }

    [Fact]
    public void Bayesian_Acquisition_IsTheWireAcquisition()
    {
        var spec = Minimal().Bayesian(acquisition: AcquisitionFunction.ExpectedImprovement, ucbBeta: 3).Build().Spec;

        Assert.Equal(new V1.BayesianSettings { Acquisition = V1.Acquisition.ExpectedImprovement, UcbBeta = 3 }, spec.Method.Bayesian);
    }

    [Fact]
    public void Bayesian_OutputWarping_IsSentOnlyWhenGiven()
    {
        Assert.Equal(new V1.BayesianSettings { NInitial = 8, OutputWarping = true }, Minimal().Bayesian(initialTrials: 8, outputWarping: true).Build().Spec.Method.Bayesian);
        Assert.False(Minimal().Bayesian().Build().Spec.Method.Bayesian.HasOutputWarping);
    }

    [Fact]
    public void Tpe_LocalFraction_IsSentOnlyWhenGivenAndChecked()
    {
        Assert.Equal(new V1.TpeSettings { Multivariate = false, LocalFraction = 0.35 }, Minimal().Tpe(multivariate: false, localFraction: 0.35).Build().Spec.Method.Tpe);
        Assert.False(Minimal().Tpe().Build().Spec.Method.Tpe.HasLocalFraction);
        Assert.Throws<ArgumentOutOfRangeException>(() => Minimal().Tpe(localFraction: 0.95));
    }

    [Fact]
    public void Tpe_LogScaleRatio_IsSentOnlyWhenGivenAndChecked()
    {
        Assert.Equal(new V1.TpeSettings { Multivariate = false, LogScaleRatio = 10 }, Minimal().Tpe(multivariate: false, logScaleRatio: 10).Build().Spec.Method.Tpe);
        Assert.True(Minimal().Tpe(logScaleRatio: 0).Build().Spec.Method.Tpe.HasLogScaleRatio);
        Assert.False(Minimal().Tpe().Build().Spec.Method.Tpe.HasLogScaleRatio);
        Assert.Equal("logScaleRatio", Assert.Throws<ArgumentOutOfRangeException>(() => Minimal().Tpe(logScaleRatio: 1.5)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Minimal().Tpe(logScaleRatio: 2e6));
        Assert.Throws<ArgumentOutOfRangeException>(() => Minimal().Tpe(logScaleRatio: double.NaN));
    }

    [Fact]
    public void Tpe_LateLocalFraction_IsSentOnlyWhenGivenAndChecked()
    {
        Assert.Equal(new V1.TpeSettings { LocalFraction = 0.35, LateLocalFraction = 0.8, LateAfter = 15 },
            Minimal().Tpe(localFraction: 0.35, lateLocalFraction: 0.8, lateAfter: 15).Build().Spec.Method.Tpe);
        Assert.True(Minimal().Tpe(lateLocalFraction: 0).Build().Spec.Method.Tpe.HasLateLocalFraction);
        Assert.False(Minimal().Tpe(lateLocalFraction: 0.8).Build().Spec.Method.Tpe.HasLateAfter);
        Assert.False(Minimal().Tpe().Build().Spec.Method.Tpe.HasLateLocalFraction);
        Assert.Equal("lateLocalFraction", Assert.Throws<ArgumentOutOfRangeException>(() => Minimal().Tpe(lateLocalFraction: 0.95)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Minimal().Tpe(lateLocalFraction: double.NaN));
        Assert.Equal("lateAfter", Assert.Throws<ArgumentOutOfRangeException>(() => Minimal().Tpe(lateAfter: 0)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Minimal().Tpe(lateAfter: 1_000_001));
    }

    [Fact]
    public void Tpe_SecondBasinFraction_IsSentOnlyWhenGivenAndChecked()
    {
        Assert.Equal(new V1.TpeSettings { LocalFraction = 0.35, SecondBasinFraction = 0.25 },
            Minimal().Tpe(localFraction: 0.35, secondBasinFraction: 0.25).Build().Spec.Method.Tpe);
        Assert.True(Minimal().Tpe(secondBasinFraction: 1).Build().Spec.Method.Tpe.HasSecondBasinFraction);
        Assert.False(Minimal().Tpe().Build().Spec.Method.Tpe.HasSecondBasinFraction);
        Assert.Equal("secondBasinFraction", Assert.Throws<ArgumentOutOfRangeException>(() => Minimal().Tpe(secondBasinFraction: 1.5)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Minimal().Tpe(secondBasinFraction: double.NaN));
    }

    [Fact]
    public void Objective_Record_IsAddedInOrderAndItsWeightChecked()
    {
        var spec = Minimal().Maximize("sharpe_ratio").Objective(StudyObjective.Minimize("max_drawdown", 2)).Build().Spec;

        Assert.Equal(new V1.Objective { Metric = "max_drawdown", Direction = V1.Direction.Minimize, Weight = 2 }, spec.Objectives[1]);
        Assert.Equal("weight", Assert.Throws<ArgumentOutOfRangeException>(() => Minimal().Objective(StudyObjective.Maximize("x", 0))).ParamName);
    }

    [Fact]
    public void ParameterConstraints_NameAndTarget_AreKept()
    {
        var spec = Minimal()
            .ParameterBounds("t.a", max: 0.5, name: "cap", target: "t")
            .AllowedValues("t.a", [0.25, 0.5])
            .Build().Spec;

        Assert.Equal(new V1.Constraint { Name = "cap", Target = "t", Parameter = new V1.ParameterConstraint { Parameter = "t.a", Max = 0.5 } }, spec.Constraints[0]);
        var allowed = new V1.ParameterConstraint { Parameter = "t.a", Allowed = { new V1.ParameterValue { FloatValue = 0.25 }, new V1.ParameterValue { FloatValue = 0.5 } } };
        Assert.Equal(new V1.Constraint { Name = "constraint_2", Parameter = allowed }, spec.Constraints[1]);
        Assert.Throws<ArgumentException>(() => Minimal().AllowedValues("t.a", []));
    }

    [Fact]
    public void CustomMetricAndMetadata_AreTheWireDirectionAndMap()
    {
        var spec = new StudyBuilder("x").Target("t", t => t.Float("a", 0, 1).Metadata("source", "ui"), TargetCategory.PositionSizing)
            .CustomMetric("calm", "max_drawdown * 2", ObjectiveDirection.Minimize)
            .Build().Spec;

        Assert.Equal(new V1.CustomMetric { Name = "calm", Expression = "max_drawdown * 2", Direction = V1.Direction.Minimize }, Assert.Single(spec.MetricSettings.CustomMetrics));
        Assert.Equal(("ui", V1.TargetKind.PositionSizing), (spec.Targets[0].Metadata["source"], spec.Targets[0].Kind));
    }

    [Fact]
    public void Sequence_WalkForward_IsTheWireSequence()
    {
        var spec = Minimal().Sequence(new WalkForwardStages(200, 50) { Mode = StageEvaluation.Attribution }).Build().Spec;

        Assert.Equal(
            new V1.SequenceSpec { WalkForward = new V1.WalkForwardSequence { InSampleBars = 200, OutOfSampleBars = 50, Mode = V1.EvaluationMode.Attribution } },
            spec.Sequence);
    }

    private static StudyBuilder Minimal() => new StudyBuilder("x").Target("t", t => t.Float("a", 0, 1));
}
