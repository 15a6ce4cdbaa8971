using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Methods.Genetic;
using OptimizerGrpc.Core.Sequences;
using OptimizerGrpc.Core.Studies;
using OptimizerGrpc.Server.Engine;
using static OptimizerGrpc.Server.Tests.Engine.EngineHarness;

namespace OptimizerGrpc.Server.Tests.Engine;

public sealed class SnapshotTests
{
    private static readonly StudyPlan GeneticPlan = Plan(
        new GeneticSettings(PopulationSize: 6, Generations: 5), 0, [Float("t.x", 0, 1), Float("t.y", 0, 1)], seed: 7);

    private static readonly StudyPlan RandomPlan = Plan(new RandomSettings(), 40, [Float("t.x", 0, 1), Float("t.y", 0, 1)], seed: 11);

    [Fact]
    public async Task Restore_GeneticStudyMidGeneration_ContinuesWithTheUninterruptedTwinsProposals()
    {
        await using var h = await CreateAsync();
        var twin = await h.CreateStudyAsync(GeneticPlan, "twin");
        var study = await h.CreateStudyAsync(GeneticPlan, "restored");
        foreach (var runtime in new[] { twin, study })
        {
            await RunAsync(runtime, 4); // 4 of the first generation's 6: the method is mid-generation
        }

        await study.ReleaseReservedNumbers();
        var restored = await h.RestoreAsync("restored", GeneticPlan);

        // The rest of generation 0, then two bred generations (6 - 2 elites each): the method's state came back whole.
        foreach (int expected in new[] { 2, 4, 4 })
        {
            var expectedTrials = await RunAsync(twin, 10);
            var restoredTrials = await RunAsync(restored, 10);
            Assert.Equal(expected, expectedTrials.Count);
            Assert.Equal(expectedTrials.Select(t => t.Number), restoredTrials.Select(t => t.Number));
            Assert.Equal(expectedTrials.Select(t => t.Params), restoredTrials.Select(t => t.Params));
        }

        Assert.Equal(twin.View().Best!.Params, restored.View().Best!.Params);
        Assert.Equal(twin.CountsOf(), restored.CountsOf());
    }

    [Fact]
    public async Task Restore_RandomStudy_ContinuesWithTheUninterruptedTwinsProposals()
    {
        await using var h = await CreateAsync();
        var twin = await h.CreateStudyAsync(RandomPlan, "twin");
        var study = await h.CreateStudyAsync(RandomPlan, "restored");
        await RunAsync(twin, 5);
        await RunAsync(study, 5);
        await study.ReleaseReservedNumbers();

        var restored = await h.RestoreAsync("restored", RandomPlan);
        var expected = await twin.LeaseAsync("w1", 8);
        var actual = await restored.LeaseAsync("w1", 8);

        Assert.Equal(0, restored.SkippedNumbers);
        Assert.Equal(Enumerable.Range(5, 8).Select(n => (long)n), actual.Select(t => t.Number));
        Assert.Equal(expected.Select(t => t.Number), actual.Select(t => t.Number));
        Assert.Equal(expected.Select(t => t.Params), actual.Select(t => t.Params));
    }

    [Fact]
    public async Task Restore_AfterUncleanStop_SkipsTheReservedNumbers()
    {
        await using var h = await CreateAsync();
        var study = await h.CreateStudyAsync(RandomPlan);
        await RunAsync(study, 5);

        var restored = await h.RestoreAsync("s1", RandomPlan);
        var next = Assert.Single(await restored.LeaseAsync("w1", 1));

        // Numbers 5 to 4095 were reserved by a durable commit; a worker may hold one handed out by a lost relaxed commit.
        Assert.Equal(4091, restored.SkippedNumbers);
        Assert.Equal(4096, next.Number);
    }

    [Fact]
    public async Task Restore_WithLeasedTrials_RequeuesThemWithTheNextAttempt()
    {
        await using var h = await CreateAsync();
        var study = await h.CreateStudyAsync(RandomPlan);
        var leased = await study.LeaseAsync("w1", 2);
        await study.ReleaseReservedNumbers();

        var restored = await h.RestoreAsync("s1", RandomPlan);
        var stored = await h.ReadTrialAsync(restored, 0);
        var again = await restored.LeaseAsync("w2", 3);

        Assert.Equal((TrialState.Pending, 2, ""), (stored.State, stored.Attempt, stored.WorkerId));
        // Each requeued trial goes to the front, in number order: the last one comes out first; then new work.
        Assert.Equal([1L, 0L, 2L], again.Select(t => t.Number));
        Assert.Equal([2, 2, 1], again.Select(t => t.Attempt));
        Assert.Equal(leased[0].Params, again[1].Params);
        Assert.Equal((0, 3, 0, 0, 0, 0), restored.CountsOf());
    }

    [Fact]
    public async Task RuntimeSnapshot_WriteThenRead_PreservesCountsNumberingAndBest()
    {
        await using var h = await CreateAsync();
        var study = await h.CreateStudyAsync(GeneticPlan);
        var finished = await RunAsync(study, 5);
        await study.LeaseAsync("w1", 1);
        var view = study.View();
        var row = Assert.Single(await h.Store.LoadStudiesAsync(default));

        var book = new StudyBook(row.Key, row.StudyId, GeneticPlan, row.CreateTimeMs, h.Store, h.Events, h.Clock);
        RuntimeSnapshot.Read(book, row.Runtime);

        var best = finished.MaxBy(Score)!;
        Assert.Equal((StudyState.Running, ""), (book.State, book.StateReason));
        Assert.Equal(view.Counts, book.Counts);
        Assert.Equal((0, 1, 5, 0, 0, 0), study.CountsOf());
        Assert.Equal((6L, 4096L), (book.Queue.NextNumber, book.Queue.ReservedNumber));
        Assert.Equal((view.LastSequence, row.LastSequence), (book.LastSequence, book.LastSequence));
        Assert.Equal(best.Number, book.Best!.Number);
        Assert.Equal(best.Params, book.Best.Params);
        Assert.Equal(Score(best), book.BestScore);
        Assert.Equal((StageState.Running, 6L), (book.Stages[0].State, book.Stages[0].Created));
        Assert.Equal(row.Runtime, RuntimeSnapshot.Write(book));
    }

    [Fact]
    public async Task RuntimeSnapshot_Read_UnknownVersion_Throws()
    {
        await using var h = await CreateAsync();
        var book = new StudyBook(1, "s1", RandomPlan, 0, h.Store, h.Events, h.Clock);

        var error = Assert.Throws<InvalidDataException>(() => RuntimeSnapshot.Read(book, [1]));

        Assert.Equal("study 's1' has runtime snapshot version 1; this server reads 2 to 4", error.Message);
    }

    [Fact]
    public async Task RuntimeSnapshot_Read_OtherStageCount_Throws()
    {
        await using var h = await CreateAsync();
        await h.CreateStudyAsync(RandomPlan);
        var row = Assert.Single(await h.Store.LoadStudiesAsync(default));
        var twoStages = Plan(new RandomSettings(), 40, [Float("a.x", 0, 1), Float("b.y", 0, 1)], new SequentialSequence([]));
        var book = new StudyBook(row.Key, row.StudyId, twoStages, row.CreateTimeMs, h.Store, h.Events, h.Clock);

        var error = Assert.Throws<InvalidDataException>(() => RuntimeSnapshot.Read(book, row.Runtime));

        Assert.Equal("study 's1' stored 1 stages; its spec plans 2", error.Message);
    }

    /// <summary>A smooth score with its peak at (0.3, 0.7).</summary>
    private static double Score(TrialRecord trial)
    {
        double x = trial.Params[0].AsFloat - 0.3, y = trial.Params[1].AsFloat - 0.7;
        return -((x * x) + (y * y));
    }

    /// <summary>Leases up to <paramref name="max"/> trials and reports each one's score.</summary>
    private static async Task<List<TrialRecord>> RunAsync(StudyRuntime study, int max)
    {
        var trials = await study.LeaseAsync("w1", max);
        foreach (var trial in trials)
        {
            Assert.Equal(TellStatus.Accepted, (await study.TellScoreAsync(trial, Score(trial))).Status);
        }

        return trials;
    }
}
