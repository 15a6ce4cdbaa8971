using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Methods.Tpe;
using OptimizerGrpc.Core.Spaces;
using static OptimizerGrpc.Core.Tests.Methods.MethodHarness;

namespace OptimizerGrpc.Core.Tests.Methods.Tpe;

public sealed class TpeSearchTests
{
    [Fact]
    public void Validate_OutOfRange_NamesEachWireFieldWithItsRange()
    {
        var violations = TpeSettings.Validate(new TpeSettings(StartupTrials: 0, Candidates: 10_001, PriorWeight: -1, LocalFraction: 0.95,
            LateLocalFraction: -0.1, LateAfter: 0, SecondBasinFraction: 1.5));
        Assert.Equal(["n_startup_trials", "n_ei_candidates", "prior_weight", "local_fraction", "late_local_fraction", "late_after", "second_basin_fraction"],
            violations.Select(v => v.Field));
        Assert.Contains("between 1 and 10000, got 0", violations[0].Message, StringComparison.Ordinal);
        Assert.Empty(TpeSettings.Validate(new TpeSettings()));
    }

    [Theory]
    [InlineData(0.0, true)]
    [InlineData(2.0, true)]
    [InlineData(1e6, true)]
    [InlineData(1.5, false)]
    [InlineData(-1.0, false)]
    [InlineData(2e6, false)]
    public void Validate_LogScaleRatio_ZeroOrTwoToAMillion(double ratio, bool valid)
    {
        var violations = TpeSettings.Validate(new TpeSettings(LogScaleRatio: ratio));
        Assert.Equal(valid ? [] : ["log_scale_ratio"], violations.Select(v => v.Field));
        Assert.All(violations, v => Assert.StartsWith("must be 0 (off) or between 2 and 1000000, got ", v.Message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0.35, 0.0, 50, 10_000, 0.35)]
    [InlineData(0.35, 0.8, 50, 49, 0.35)]
    [InlineData(0.35, 0.8, 50, 50, 0.8)]
    [InlineData(0.0, 0.5, 1, 1, 0.5)]
    [InlineData(0.0, 0.5, 20, 0, 0.0)]
    public void LocalFractionAt_SwitchesToTheLateShareOnceLateAfterTrialsHaveCompleted(double local, double late, int after, int completed, double expected) =>
        Assert.Equal(expected, new TpeSettings(LocalFraction: local, LateLocalFraction: late, LateAfter: after).LocalFractionAt(completed));

    [Fact]
    public void Ask_LateLocalFraction_SameTrajectoryUntilLateAfterThenItsOwn()
    {
        // The late share changes nothing before LateAfter trials have completed (the generator is drawn the same way), and
        // the trajectory from there on.
        var plain = new TpeSettings(Multivariate: false, LocalFraction: 0.35);
        var late = plain with { LateLocalFraction = 0.8, LateAfter = 30 };
        var a = new MethodHarness(new TpeSearch(MixedSpace, plain, FastBelowSlow, 3), MixedObjective).Run(60, 1).Proposals;
        var b = new MethodHarness(new TpeSearch(MixedSpace, late, FastBelowSlow, 3), MixedObjective).Run(60, 1).Proposals;

        Assert.Equal(Format(a.Take(30).ToList()), Format(b.Take(30).ToList()));
        Assert.NotEqual(Format(a.Skip(30).ToList()), Format(b.Skip(30).ToList()));
    }

    [Fact]
    public void Ask_SecondBasinFraction_OnlyChangesLocalProposals()
    {
        // Without local proposals the share draws nothing and changes nothing; with them the trajectory is its own from
        // the first local proposal on, and as reproducible as any.
        var global = new TpeSettings(Multivariate: false);
        var a = new MethodHarness(new TpeSearch(MixedSpace, global, FastBelowSlow, 3), MixedObjective).Run(40, 1).Proposals;
        var b = new MethodHarness(new TpeSearch(MixedSpace, global with { SecondBasinFraction = 0.5 }, FastBelowSlow, 3), MixedObjective).Run(40, 1).Proposals;
        Assert.Equal(Format(a), Format(b));

        var local = global with { LocalFraction = 0.5 };
        var c = new MethodHarness(new TpeSearch(MixedSpace, local, FastBelowSlow, 3), MixedObjective).Run(40, 1).Proposals;
        var d = new MethodHarness(new TpeSearch(MixedSpace, local with { SecondBasinFraction = 0.5 }, FastBelowSlow, 3), MixedObjective).Run(40, 1).Proposals;
        var e = new MethodHarness(new TpeSearch(MixedSpace, local with { SecondBasinFraction = 0.5 }, FastBelowSlow, 3), MixedObjective).Run(40, 1).Proposals;
        Assert.Equal(Format(c.Take(10).ToList()), Format(d.Take(10).ToList()));
        Assert.NotEqual(Format(c), Format(d));
        Assert.Equal(Format(d), Format(e));
    }

    [Fact]
    public void LogScale_FindsAShortWindowPeakThatTheLinearScaleMisses()
    {
        // A window of 10..400 whose only good region is 10..14 (the shape of the Bollinger rule on USD/CHF) and is flat
        // elsewhere, plus a float that always matters. A uniform draw hits the region with probability 5 / 391 = 1.3%, a
        // log-uniform one with ln(14.5 / 9.5) / ln(400.5 / 9.5) = 11.3%: over 20 seeds of 30 trials, the log scale finds
        // it far more often.
        var space = new SearchSpace([new SearchParameter("w", new IntDomain(10, 400, 1)), new SearchParameter("t", new FloatDomain(0, 1, null, false))]);
        static Observation Evaluate(ParamValue[] p) => Completed(p, (p[0].AsInt <= 14 ? 10 : 0) + p[1].AsFloat);
        int Found(double ratio) => Enumerable.Range(0, 20).Count(seed =>
            new MethodHarness(new TpeSearch(space, new TpeSettings(Multivariate: false, LogScaleRatio: ratio), null, (ulong)seed), Evaluate)
                .Run(30, 1).Proposals.Any(p => p[0].AsInt <= 14));

        int log = Found(10), linear = Found(0);
        Assert.True(log >= 18 && log > linear + 5, $"log scale found the peak in {log} of 20 runs, linear in {linear}");
    }

    [Fact]
    public void Create_TpeSettings_BuildsATpeSearch() =>
        Assert.IsType<TpeSearch>(SearchMethods.Create(new TpeSettings(), UnitSquare, null, 1));

    [Theory]
    [InlineData(1, 1)]
    [InlineData(10, 1)]
    [InlineData(11, 2)]
    [InlineData(100, 10)]
    [InlineData(251, 25)]
    [InlineData(1000, 25)]
    public void Gamma_IsTheCeilingOfATenthCappedAt25(int completed, int expected) => Assert.Equal(expected, TpeSearch.Gamma(completed));

    [Fact]
    public void RecencyWeights_Past25_RampOlderTrialsFromOneOverN()
    {
        Assert.Equal(Enumerable.Repeat(1.0, 25), TpeSearch.RecencyWeights(25));

        // numpy.linspace(1/30, 1, 5) = [0.0333, 0.275, 0.51667, 0.75833, 1], then 25 ones.
        var w = TpeSearch.RecencyWeights(30);
        Assert.Equal([1 / 30.0, 0.275, 0.5166666666666667, 0.7583333333333333, 1.0], w[..5], (a, b) => Math.Abs(a - b) < 1e-15);
        Assert.All(w[5..], x => Assert.Equal(1.0, x));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Ask_MixedSpaceWithConstraint_EveryProposalInDomainAndFeasible(bool multivariate)
    {
        var method = new TpeSearch(MixedSpace, new TpeSettings(StartupTrials: 5, Multivariate: multivariate), FastBelowSlow, 7);
        var harness = new MethodHarness(method, MixedObjective).Run(80, 3);

        Assert.Equal(80, harness.Proposals.Count);
        foreach (var p in harness.Proposals)
        {
            Assert.True(FastBelowSlow(p), Format([p]));
            for (int i = 0; i < p.Length; i++)
            {
                Assert.True(MixedSpace.Parameters[i].Domain.Contains(p[i]), $"{MixedSpace.Parameters[i].Name} = {p[i]}");
            }
        }
    }

    [Fact]
    public void Ask_SameSeed_SameSequence_DifferentSeed_DifferentSequence()
    {
        string RunWith(ulong seed) => Format(new MethodHarness(new TpeSearch(MixedSpace, new TpeSettings(StartupTrials: 5), FastBelowSlow, seed), MixedObjective).Run(40, 2).Proposals);

        Assert.Equal(RunWith(3), RunWith(3));
        Assert.NotEqual(RunWith(3), RunWith(4));
    }

    [Theory]
    [InlineData(true, 0.0)]
    [InlineData(false, 0.0)]
    [InlineData(false, 0.5)]
    [InlineData(false, 0.35, 0.8)]
    public void ReadSnapshot_WithPendingProposals_ContinuesTheUninterruptedTrajectory(bool multivariate, double localFraction, double lateLocalFraction = 0)
    {
        var settings = new TpeSettings(StartupTrials: 6, Multivariate: multivariate, LocalFraction: localFraction, LateLocalFraction: lateLocalFraction, LateAfter: 15);
        var uninterrupted = new MethodHarness(new TpeSearch(MixedSpace, settings, FastBelowSlow, 21), MixedObjective, tellSeed: 5);
        for (int step = 0; step < 12; step++)
        {
            uninterrupted.Step(3);
        }

        var first = new MethodHarness(new TpeSearch(MixedSpace, settings, FastBelowSlow, 21), MixedObjective, tellSeed: 5);
        for (int step = 0; step < 6; step++)
        {
            first.Step(3);
        }

        Assert.True(((TpeSearch)first.Method).PendingCount > 0);

        // A restart: a fresh method (another seed) restored from the snapshot, and the engine's outstanding trials as new arrays.
        first.Method = RoundTrip(first.Method, new TpeSearch(MixedSpace, settings, FastBelowSlow, 999));
        var outstanding = first.Outstanding.Select(p => (ParamValue[])p.Clone()).ToList();
        first.Outstanding.Clear();
        first.Outstanding.AddRange(outstanding);
        for (int step = 6; step < 12; step++)
        {
            first.Step(3);
        }

        Assert.Equal(Format(uninterrupted.Proposals), Format(first.Proposals));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Ask_LocalProposals_EveryProposalInDomainFeasibleAndNew(bool multivariate)
    {
        var method = new TpeSearch(MixedSpace, new TpeSettings(StartupTrials: 5, Multivariate: multivariate, LocalFraction: 0.9), FastBelowSlow, 7);
        var harness = new MethodHarness(method, MixedObjective).Run(80, 3);

        Assert.Equal(80, harness.Proposals.Distinct(Assignments.ByValue).Count());
        Assert.All(harness.Proposals, p => Assert.True(FastBelowSlow(p) && p.Select((v, i) => MixedSpace.Parameters[i].Domain.Contains(v)).All(ok => ok), Format([p])));
    }

    [Fact]
    public void Ask_LocalProposals_FindTheExactPeakOfAPlateauedIntegerObjectiveMoreOften()
    {
        // Two integer windows in [0, 200]: terraces around (120, 60), 10 steps wide, and on the top terrace a narrow ridge
        // at e = 127 (x within 5 of 60), like the breakout rule's Sharpe ratio (peak at entry 67, exit 65..68). Plain TPE
        // settles on the terrace; the local proposals step along e onto the ridge.
        var space = new SearchSpace([new SearchParameter("e", new IntDomain(0, 200, 1)), new SearchParameter("x", new IntDomain(0, 200, 1))]);
        static Observation Evaluate(ParamValue[] p)
        {
            long e = p[0].AsInt, x = p[1].AsInt;
            double value = e == 127 && Math.Abs(x - 60) <= 5 ? 2 : -Math.Floor((Math.Abs(e - 120) + Math.Abs(x - 60)) / 10.0);
            return Completed(p, value);
        }

        int Hits(double localFraction) => Enumerable.Range(0, 20).Count(seed =>
        {
            var method = new TpeSearch(space, new TpeSettings(Multivariate: false, LocalFraction: localFraction), null, (ulong)seed);
            return new MethodHarness(method, Evaluate).Run(100, 1).Proposals.Any(p => p[0].AsInt == 127 && Math.Abs(p[1].AsInt - 60) <= 5);
        });

        int plain = Hits(0), local = Hits(0.35);
        Assert.True(local >= plain + 3, $"the peak was found on {local} of 20 seeds with local proposals, {plain} without");
    }

    [Fact]
    public void Ask_BatchWithPending_GivesDistinctPoints()
    {
        var method = new TpeSearch(UnitSquare, new TpeSettings(StartupTrials: 4), null, 3);
        new MethodHarness(method, Sphere).Run(20, 1);
        var batch = new List<ParamValue[]>();
        method.Ask(6, batch);
        Assert.Equal(6, batch.Distinct(Assignments.ByValue).Count());
    }

    [Fact]
    public void Ask_SmallIntegerSpace_DoesNotRepeatWhileUntriedValuesRemain()
    {
        var space = new SearchSpace([new SearchParameter("a.n", new IntDomain(1, 12, 1))]);
        var method = new TpeSearch(space, new TpeSettings(StartupTrials: 3), null, 4);
        var harness = new MethodHarness(method, p => Completed(p, -Math.Abs(p[0].AsInt - 9))).Run(12, 1);
        Assert.Equal(12, harness.Proposals.Distinct(Assignments.ByValue).Count());
    }

    [Fact]
    public void Tell_FailedTrials_JoinTheBadDensityAndSteerAway()
    {
        // Everything with x > 0.5 fails; after the start-up the model should mostly stay left.
        static Observation Evaluate(ParamValue[] p) =>
            p[0].AsFloat > 0.5 ? new(p, [], ObservationKind.Failed) : Completed(p, -Math.Abs(p[0].AsFloat - 0.4) - Math.Abs(p[1].AsFloat - 0.5));
        var harness = new MethodHarness(new TpeSearch(UnitSquare, new TpeSettings(), null, 8), Evaluate).Run(80, 1);
        int right = harness.Proposals.Skip(40).Count(p => p[0].AsFloat > 0.5);
        Assert.True(right < 10, $"{right} of the last 40 proposals were in the failing half");
    }

    [Fact]
    public void Ask_Sphere60_BeatsRandomSearchOnMostSeeds()
    {
        int wins = 0;
        for (ulong seed = 0; seed < 10; seed++)
        {
            double tpe = new MethodHarness(new TpeSearch(UnitSquare, new TpeSettings(), null, seed), Sphere).Run(60, 1).BestScore;
            double random = new MethodHarness(new RandomSearch(UnitSquare, null, seed), Sphere).Run(60, 1).BestScore;
            wins += tpe > random ? 1 : 0;
        }

        Assert.True(wins >= 8, $"TPE beat random search on {wins} of 10 seeds");
    }

    [Fact]
    public void ReadSnapshot_OtherSpace_Throws()
    {
        var method = new TpeSearch(UnitSquare, new TpeSettings(), null, 1);
        Assert.Throws<InvalidDataException>(() => RoundTrip(method, new TpeSearch(MixedSpace, new TpeSettings(), null, 1)));
    }
}
