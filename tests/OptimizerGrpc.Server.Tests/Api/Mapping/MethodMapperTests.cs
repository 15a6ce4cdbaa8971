using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Core.Methods;
using AutoMethod = OptimizerGrpc.Core.Methods.Auto.AutoMethod;
using AutoChoice = OptimizerGrpc.Core.Methods.Auto.AutoChoice;
using OptimizerGrpc.Core.Studies;
using OptimizerGrpc.Server.Api.Mapping;
using OptimizerGrpc.Server.Tests.Api;
using CoreTpe = OptimizerGrpc.Core.Methods.Tpe.TpeSettings;
using CoreBayesian = OptimizerGrpc.Core.Methods.Bayesian.BayesianSettings;

namespace OptimizerGrpc.Server.Tests.Api.Mapping;

/// <summary>The TPE and auto methods on the wire, and auto as the default of a new study without breaking stored ones.</summary>
public sealed class MethodMapperTests
{
    private static StudySpec Unnamed(MethodSpec? method) => new()
    {
        DisplayName = "unnamed",
        Targets = { Specs.Target("ma", Specs.Int("fast", 1, 50), Specs.Int("slow", 10, 100)) },
        Objectives = { new Objective { Metric = Specs.Metric, Direction = Direction.Maximize } },
        Method = method,
        MaxTrials = 200,
    };

    [Fact]
    public void ToDomain_TpeUnset_TakesTheDocumentedDefaults()
    {
        var v = new SpecViolations();
        Assert.Equal(new CoreTpe(10, 24, true, 1.0, 0.0, 0.0, 0.0, 50), MethodMapper.ToDomain(new MethodSpec { Tpe = new TpeSettings() }, v));
        Assert.False(v.Any);
    }

    [Fact]
    public void ToDomain_TpeSet_RoundTripsThroughToProto()
    {
        var wire = new MethodSpec { Tpe = new TpeSettings { NStartupTrials = 5, NEiCandidates = 64, Multivariate = false, PriorWeight = 0.5 } };
        var settings = MethodMapper.ToDomain(wire, new SpecViolations());
        Assert.Equal(new CoreTpe(5, 64, false, 0.5), settings);
        Assert.Equal(wire.Tpe, MethodMapper.ToProto(settings, 1, false).Tpe);
        Assert.False(MethodMapper.ToProto(settings, 1, false).Tpe.HasLocalFraction);
        Assert.False(MethodMapper.ToProto(settings, 1, false).Tpe.HasLogScaleRatio);
        Assert.False(MethodMapper.ToProto(settings, 1, false).Tpe.HasLateLocalFraction);
        Assert.False(MethodMapper.ToProto(settings, 1, false).Tpe.HasLateAfter);
        Assert.False(MethodMapper.ToProto(settings, 1, false).Tpe.HasSecondBasinFraction);

        var local = new MethodSpec { Tpe = new TpeSettings { NStartupTrials = 5, NEiCandidates = 64, Multivariate = false, PriorWeight = 0.5, LocalFraction = 0.35 } };
        Assert.Equal(new CoreTpe(5, 64, false, 0.5, 0.35), MethodMapper.ToDomain(local, new SpecViolations()));
        Assert.Equal(local.Tpe, MethodMapper.ToProto(MethodMapper.ToDomain(local, new SpecViolations()), 1, false).Tpe);

        var logScale = new MethodSpec { Tpe = new TpeSettings { NStartupTrials = 5, NEiCandidates = 64, Multivariate = false, PriorWeight = 0.5, LocalFraction = 0.35, LogScaleRatio = 10 } };
        Assert.Equal(new CoreTpe(5, 64, false, 0.5, 0.35, 10), MethodMapper.ToDomain(logScale, new SpecViolations()));
        Assert.Equal(logScale.Tpe, MethodMapper.ToProto(MethodMapper.ToDomain(logScale, new SpecViolations()), 1, false).Tpe);

        var late = new MethodSpec { Tpe = new TpeSettings { NStartupTrials = 5, NEiCandidates = 64, Multivariate = false, PriorWeight = 0.5, LocalFraction = 0.35, LateLocalFraction = 0.8, LateAfter = 15 } };
        Assert.Equal(new CoreTpe(5, 64, false, 0.5, 0.35, 0, 0.8, 15), MethodMapper.ToDomain(late, new SpecViolations()));
        Assert.Equal(late.Tpe, MethodMapper.ToProto(MethodMapper.ToDomain(late, new SpecViolations()), 1, false).Tpe);

        var second = new MethodSpec { Tpe = new TpeSettings { Multivariate = false, LocalFraction = 0.35, SecondBasinFraction = 0.25 } };
        Assert.Equal(new CoreTpe(Multivariate: false, LocalFraction: 0.35, SecondBasinFraction: 0.25), MethodMapper.ToDomain(second, new SpecViolations()));
        Assert.Equal(new TpeSettings { NStartupTrials = 10, NEiCandidates = 24, Multivariate = false, PriorWeight = 1, LocalFraction = 0.35, SecondBasinFraction = 0.25 },
            MethodMapper.ToProto(MethodMapper.ToDomain(second, new SpecViolations()), 1, false).Tpe);

        // late_after alone changes nothing (late_local_fraction 0 keeps local_fraction), so it is not written back.
        var lateAfterOnly = new MethodSpec { Tpe = new TpeSettings { LateAfter = 15 } };
        Assert.Equal(new CoreTpe(LateAfter: 15), MethodMapper.ToDomain(lateAfterOnly, new SpecViolations()));
        Assert.False(MethodMapper.ToProto(MethodMapper.ToDomain(lateAfterOnly, new SpecViolations()), 1, false).Tpe.HasLateAfter);
    }

    [Fact]
    public void ToDomain_BayesianOutputWarping_RoundTripsAndIsWrittenOnlyWhenOn()
    {
        var warped = new MethodSpec { Bayesian = new BayesianSettings { NInitial = 8, OutputWarping = true } };
        var settings = Assert.IsType<CoreBayesian>(MethodMapper.ToDomain(warped, new SpecViolations()));
        Assert.True(settings.OutputWarping);
        Assert.True(MethodMapper.ToProto(settings, 1, false).Bayesian.OutputWarping);

        var plain = Assert.IsType<CoreBayesian>(MethodMapper.ToDomain(new MethodSpec { Bayesian = new BayesianSettings() }, new SpecViolations()));
        Assert.False(plain.OutputWarping);
        Assert.False(MethodMapper.ToProto(plain, 1, false).Bayesian.HasOutputWarping);
    }

    public static TheoryData<TpeSettings, string> TpeSettingsOutOfRange => new()
    {
        { new TpeSettings { LocalFraction = 0.95 }, "spec.method.tpe.local_fraction" },
        { new TpeSettings { LogScaleRatio = 1.5 }, "spec.method.tpe.log_scale_ratio" },
        { new TpeSettings { LateLocalFraction = 0.95 }, "spec.method.tpe.late_local_fraction" },
        { new TpeSettings { LateLocalFraction = 0.8, LateAfter = 0 }, "spec.method.tpe.late_after" },
        { new TpeSettings { SecondBasinFraction = 1.5 }, "spec.method.tpe.second_basin_fraction" },
    };

    [Theory]
    [MemberData(nameof(TpeSettingsOutOfRange))]
    public void ToDomain_TpeSettingOutOfRange_ViolationNamesTheWireField(TpeSettings tpe, string field)
    {
        var v = new SpecViolations();
        MethodMapper.ToDomain(new MethodSpec { Tpe = tpe }, v);
        var violation = Assert.Single(v.Items);
        Assert.Equal(field, violation.Field);
    }

    [Fact]
    public void ToDomain_TpeOutOfRange_ViolationNamesTheWireField()
    {
        var v = new SpecViolations();
        MethodMapper.ToDomain(new MethodSpec { Tpe = new TpeSettings { NStartupTrials = 0 } }, v);
        var violation = Assert.Single(v.Items);
        Assert.Equal("spec.method.tpe.n_startup_trials", violation.Field);
    }

    [Fact]
    public void ToDomain_Auto_IsAutoAndShowsAsAuto()
    {
        var settings = MethodMapper.ToDomain(new MethodSpec { Auto = new AutoSettings() }, new SpecViolations());
        Assert.IsType<Core.Methods.Auto.AutoSettings>(settings);
        Assert.Equal(MethodSpec.KindOneofCase.Auto, MethodMapper.ToProto(settings, 1, false).KindCase);
    }

    [Fact]
    public void ToDomain_StoredMethodWithoutKind_IsStillRandomSearch() =>
        Assert.IsType<RandomSettings>(MethodMapper.ToDomain(new MethodSpec { Seed = 3 }, new SpecViolations()));

    [Fact]
    public void Normalize_NoMethodNamed_StoresAutoWithADrawnSeed()
    {
        var stored = StudySpecMapper.Normalize(Unnamed(null));
        Assert.Equal(MethodSpec.KindOneofCase.Auto, stored.Method.KindCase);
        Assert.True(stored.Method.HasSeed);
    }

    [Fact]
    public void Normalize_SeedButNoKind_StoresAutoAndKeepsTheSeed()
    {
        var stored = StudySpecMapper.Normalize(Unnamed(new MethodSpec { Seed = 11, AllowRepeats = true }));
        Assert.Equal(new MethodSpec { Auto = new AutoSettings(), Seed = 11, AllowRepeats = true }, stored.Method);
    }

    [Fact]
    public void Normalize_NoMethodAndSeveralUnweightedObjectives_KeepsRandomSearchWhichStillCompiles()
    {
        var spec = Unnamed(null);
        spec.Objectives.Add(new Objective { Metric = "max_drawdown", Direction = Direction.Minimize });
        var stored = StudySpecMapper.Normalize(spec);
        Assert.Equal(MethodSpec.KindOneofCase.Random, stored.Method.KindCase);
        Assert.IsType<RandomSettings>(StudySpecMapper.Compile(stored).Method);
    }

    [Fact]
    public void Normalize_NamedMethod_IsKept() =>
        Assert.Equal(MethodSpec.KindOneofCase.Random, StudySpecMapper.Normalize(Unnamed(new MethodSpec { Random = new RandomSearchSettings() })).Method.KindCase);

    [Fact]
    public void Compile_NoMethodNamed_StageRunsAutoWithTheStudyBudgetAndChoosesLocalLogScaleTpeForIntegerWindows()
    {
        var plan = StudySpecMapper.Compile(StudySpecMapper.Normalize(Unnamed(null)));
        var stage = Assert.Single(plan.Stages);
        Assert.Equal(new Core.Methods.Auto.AutoSettings(200), stage.Method);
        Assert.Equal(AutoMethod.TpeLocalLogScaleLateSecondBasin, AutoChoice.Choose(stage.Space, 200));
    }

    [Fact]
    public void Compile_AutoWithoutMaxTrials_IsInvalid()
    {
        var spec = StudySpecMapper.Normalize(Unnamed(null));
        spec.MaxTrials = 0;
        var error = Assert.ThrowsAny<Exception>(() => StudySpecMapper.Compile(spec));
        Assert.Contains("auto", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void SameSpec_RequestWithoutMethod_MatchesTheAutoItWasStoredWith_AndALegacyRandomStore()
    {
        var requested = Unnamed(null);
        Assert.True(StudySpecMapper.SameSpec(StudySpecMapper.Normalize(requested), requested));

        var legacy = requested.Clone();
        legacy.Method = new MethodSpec { Random = new RandomSearchSettings(), Seed = 99 };
        Assert.True(StudySpecMapper.SameSpec(legacy, requested));

        var tpe = requested.Clone();
        tpe.Method = new MethodSpec { Tpe = new TpeSettings(), Seed = 99 };
        Assert.False(StudySpecMapper.SameSpec(tpe, requested));
    }
}
