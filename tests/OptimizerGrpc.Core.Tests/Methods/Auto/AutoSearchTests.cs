using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Methods.Auto;
using OptimizerGrpc.Core.Methods.Bayesian;
using OptimizerGrpc.Core.Methods.Grid;
using OptimizerGrpc.Core.Methods.Tpe;
using OptimizerGrpc.Core.Spaces;
using static OptimizerGrpc.Core.Tests.Methods.MethodHarness;

namespace OptimizerGrpc.Core.Tests.Methods.Auto;

public sealed class AutoSearchTests
{
    // The quality benchmark's MA + RSI space: three integer windows, two float thresholds.
    private static readonly SearchSpace MaRsi = new(
    [
        new SearchParameter("r.fast", new IntDomain(2, 50, 1)),
        new SearchParameter("r.slow", new IntDomain(60, 300, 1)),
        new SearchParameter("r.period", new IntDomain(2, 30, 1)),
        new SearchParameter("r.oversold", new FloatDomain(10, 45, null, false)),
        new SearchParameter("r.overbought", new FloatDomain(55, 90, null, false)),
    ]);

    private static readonly SearchSpace SmallGrid = new(
    [
        new SearchParameter("g.a", new IntDomain(1, 5, 1)),
        new SearchParameter("g.c", new CategoricalDomain(["x", "y"])),
        new SearchParameter("g.s", new FloatDomain(0.1, 0.3, 0.1, false)),
    ]);

    [Theory]
    [InlineData(30, AutoMethod.Grid)]
    [InlineData(29, AutoMethod.TpeLocalLogScaleLateSecondBasin)]
    [InlineData(0, AutoMethod.TpeLocalLogScaleLateSecondBasin)]
    public void Choose_DiscreteSpace_GridOnlyWhenTheWholeGridFits(long budget, AutoMethod expected) =>
        Assert.Equal(expected, AutoChoice.Choose(SmallGrid, budget));

    [Theory]
    [InlineData(100, AutoMethod.Bayesian)]
    [InlineData(500, AutoMethod.Bayesian)]
    [InlineData(501, AutoMethod.Tpe)]
    [InlineData(0, AutoMethod.Tpe)]
    public void Choose_ContinuousSpace_GpForSmallBudgets(long budget, AutoMethod expected) =>
        Assert.Equal(expected, AutoChoice.Choose(UnitSquare, budget));

    [Fact]
    public void Choose_TradingSpaceOfIntegerWindows_TpeWithLocalProposalsAndLogScale() =>
        Assert.Equal(AutoMethod.TpeLocalLogScaleLateSecondBasin, AutoChoice.Choose(MaRsi, 200));

    [Fact]
    public void Choose_ElevenContinuousParameters_Tpe()
    {
        var space = new SearchSpace([.. Enumerable.Range(0, 11).Select(i => new SearchParameter($"f.x{i}", new FloatDomain(0, 1, null, false)))]);
        Assert.Equal(AutoMethod.Tpe, AutoChoice.Choose(space, 100));
    }

    [Fact]
    public void Settings_AreEachMethodsDefaults() =>
        Assert.Equal<MethodSettings>(
            [
                new GridSettings(2, Shuffle: true), new BayesianSettings(), new TpeSettings(), new TpeSettings(Multivariate: false, LocalFraction: 0.35),
                new TpeSettings(Multivariate: false, LocalFraction: 0.35, LogScaleRatio: 10),
                new TpeSettings(Multivariate: false, LocalFraction: 0.35, LogScaleRatio: 10, LateLocalFraction: 0.8, LateAfter: 50),
                new TpeSettings(Multivariate: false, LocalFraction: 0.35, LogScaleRatio: 10, LateLocalFraction: 0.8, LateAfter: 50, SecondBasinFraction: 0.25),
            ],
            [.. Enum.GetValues<AutoMethod>().Select(AutoChoice.Settings)]);

    [Theory]
    [InlineData(200)]
    [InlineData(20)]
    public void Ask_ProposesExactlyWhatTheChosenMethodProposes(long budget)
    {
        var space = budget == 20 ? UnitSquare : MaRsi;
        Func<ParamValue[], Observation> evaluate = budget == 20 ? Sphere : p => Completed(p, -Math.Abs(p[0].AsInt - 12) - Math.Abs(p[3].AsFloat - 30));
        var auto = new AutoSearch(space, new AutoSettings(budget), null, 17);
        var chosen = SearchMethods.Create(AutoChoice.Settings(auto.Choice), space, null, 17);

        Assert.Equal(budget == 20 ? AutoMethod.Bayesian : AutoMethod.TpeLocalLogScaleLateSecondBasin, auto.Choice);
        Assert.Equal(Format(new MethodHarness(chosen, evaluate).Run(25, 2).Proposals), Format(new MethodHarness(auto, evaluate).Run(25, 2).Proposals));
    }

    [Fact]
    public void Ask_WholeGridFits_EnumeratesEveryAssignmentOnceThenIsExhausted()
    {
        var auto = new AutoSearch(SmallGrid, new AutoSettings(100), null, 3);
        var harness = new MethodHarness(auto, p => Completed(p, p[0].AsInt)).Run(100, 4);
        Assert.Equal(30, harness.Proposals.Distinct(Assignments.ByValue).Count());
        Assert.Equal(30, harness.Proposals.Count);
        Assert.True(auto.IsExhausted);
    }

    [Fact]
    public void ReadSnapshot_WithPendingProposals_ContinuesTheUninterruptedTrajectory()
    {
        static Observation Evaluate(ParamValue[] p) => Completed(p, -Math.Abs(p[0].AsInt - 12) - Math.Abs(p[1].AsInt - 150) - Math.Abs(p[3].AsFloat - 30));
        var settings = new AutoSettings(300);
        var uninterrupted = new MethodHarness(new AutoSearch(MaRsi, settings, null, 5), Evaluate, tellSeed: 3);
        for (int step = 0; step < 12; step++)
        {
            uninterrupted.Step(3);
        }

        var first = new MethodHarness(new AutoSearch(MaRsi, settings, null, 5), Evaluate, tellSeed: 3);
        for (int step = 0; step < 6; step++)
        {
            first.Step(3);
        }

        Assert.NotEmpty(first.Outstanding);
        first.Method = RoundTrip(first.Method, new AutoSearch(MaRsi, settings, null, 999));
        var outstanding = first.Outstanding.Select(p => (ParamValue[])p.Clone()).ToList();
        first.Outstanding.Clear();
        first.Outstanding.AddRange(outstanding);
        for (int step = 6; step < 12; step++)
        {
            first.Step(3);
        }

        Assert.Equal(Format(uninterrupted.Proposals), Format(first.Proposals));
    }

    public static TheoryData<AutoMethod> EarlierTradingChoices =>
        [AutoMethod.Tpe, AutoMethod.TpeLocal, AutoMethod.TpeLocalLogScale, AutoMethod.TpeLocalLogScaleLate];

    [Theory]
    [MemberData(nameof(EarlierTradingChoices))]
    public void ReadSnapshot_StoredByAnEarlierRelease_ContinuesWithTheMethodItChose(AutoMethod stored)
    {
        // What an earlier release stored for a trading space: auto's version and choice, then the TPE state.
        static Observation Evaluate(ParamValue[] p) => Completed(p, -Math.Abs(p[0].AsInt - 12) - Math.Abs(p[3].AsFloat - 30));
        var earlier = new MethodHarness(SearchMethods.Create(AutoChoice.Settings(stored), MaRsi, null, 4), Evaluate).Run(20, 2);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write((byte)1);
            writer.Write((byte)stored);
            earlier.Method.WriteSnapshot(writer);
        }

        stream.Position = 0;
        var restored = new AutoSearch(MaRsi, new AutoSettings(200), null, 4);
        Assert.Equal(AutoMethod.TpeLocalLogScaleLateSecondBasin, restored.Choice);
        restored.ReadSnapshot(new BinaryReader(stream));

        Assert.Equal(stored, restored.Choice);
        var expected = new List<ParamValue[]>();
        var actual = new List<ParamValue[]>();
        earlier.Method.Ask(3, expected);
        restored.Ask(3, actual);
        Assert.Equal(Format(expected), Format(actual));
    }

    [Fact]
    public void ReadSnapshot_IntoAnAutoThatWouldChooseOtherwise_KeepsTheStoredChoice()
    {
        var started = new AutoSearch(UnitSquare, new AutoSettings(100), null, 9);
        new MethodHarness(started, Sphere).Run(15, 1);
        var later = new AutoSearch(UnitSquare, new AutoSettings(0), null, 9);
        Assert.Equal(AutoMethod.Tpe, later.Choice);

        RoundTrip(started, later);

        Assert.Equal(AutoMethod.Bayesian, later.Choice);
        var expected = new List<ParamValue[]>();
        var actual = new List<ParamValue[]>();
        started.Ask(2, expected);
        later.Ask(2, actual);
        Assert.Equal(Format(expected), Format(actual));
    }
}
