using OptimizerGrpc.Client;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Trading;
using StudyState = OptimizerGrpc.Client.StudyState;
using TrialOutcome = OptimizerGrpc.Client.TrialOutcome;

namespace OptimizerGrpc.Server.Tests.Api;

/// <summary>
/// Hierarchical studies on the NYSE series from the C# client: the outer target's every candidate is scored by an inner
/// optimisation. Expected inner winners and the best pair are computed independently in the test by brute force.
/// </summary>
public sealed class HierarchicalTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private static readonly Lazy<MovingAverageSweep> Sweep = new(() =>
        new MovingAverageSweep(new CsvDataHandler().Load(TestData.Path("nyse_composite_daily_1966_2002.csv")).Close));

    private static readonly int[] Fasts = [5, 10, 15, 20, 25, 30, 35, 40, 45];
    private static readonly int[] Slows = [50, 100, 150, 200, 250, 300];

    // Outer: the slow (exit) window; inner: the fast (entry) window that is best for it.
    private static StudyBuilder SlowOverFast(HierarchicalStages levels) => new StudyBuilder("hierarchical")
        .Target("entry", t => t.Int("fast", 5, 45, step: 5))
        .Target("exit", t => t.Int("slow", 50, 300, step: 50))
        .Relationship("entry.fast < exit.slow")
        .GridSearch()
        .Maximize("sharpe_ratio")
        .Sequence(levels);

    private static double Sharpe(long fast, long slow) => Sweep.Value.Evaluate((int)fast, (int)slow).SharpeRatio;

    [Fact]
    public async Task GridOverGrid_EachOuterCandidateGetsItsInnerWinner_BestPairIsTheGlobalArgmax()
    {
        await using var host = await TestServerHost.StartAsync();
        var client = new OptimizerClient(host.Channel);
        var levels = new HierarchicalStages(
            Outer: new StageDefinition { Name = "exit", Targets = ["exit"] },
            Inner: new StageDefinition { Name = "entry", Targets = ["entry"] });
        var study = (await client.CreateStudyAsync(SlowOverFast(levels))).Study;

        await RunAsync(client, study.StudyId);

        var result = await client.GetStudyResultAsync(study.StudyId);
        Assert.Equal(StudyState.Completed, result.Study.State);
        var h = result.Raw.Hierarchical;
        Assert.Equal(["exit"], h.OuterTargets);
        Assert.Equal(["entry"], h.InnerTargets);
        Assert.Equal(Slows, h.Candidates.Select(c => (int)c.OuterParams["exit.slow"].IntValue));
        foreach (var candidate in h.Candidates)
        {
            long slow = candidate.OuterParams["exit.slow"].IntValue;
            var feasible = Fasts.Where(f => f < slow).ToArray();
            int bestFast = feasible.MaxBy(f => Sharpe(f, slow));
            Assert.Equal(feasible.Length, candidate.Trials);
            Assert.Equal(feasible.Length, candidate.CompletedTrials);
            Assert.Equal(bestFast, candidate.InnerBestParams["entry.fast"].IntValue);
            Assert.Equal(Sharpe(bestFast, slow), candidate.BestScore, 9);
        }

        var pairs = Slows.SelectMany(s => Fasts.Where(f => f < s).Select(f => (Fast: f, Slow: s))).ToArray();
        var bestPair = pairs.MaxBy(p => Sharpe(p.Fast, p.Slow));
        Assert.Equal(pairs.Length, result.Study.Counts.Completed);
        Assert.Equal(bestPair.Slow, h.Best.OuterParams["exit.slow"].IntValue);
        Assert.Equal(bestPair.Fast, h.Best.InnerBestParams["entry.fast"].IntValue);
        Assert.Equal(bestPair.Fast, result.TargetResults.Single(r => r.Target == "entry").BestParams["fast"].AsInt64());
        Assert.Equal(bestPair.Slow, result.TargetResults.Single(r => r.Target == "exit").BestParams["slow"].AsInt64());
        Assert.Equal(Sharpe(bestPair.Fast, bestPair.Slow), result.BestTrial!.Values["sharpe_ratio"], 9);
        Assert.Equal("exit over entry", Assert.Single(result.Study.Stages).Name);
        Assert.Equal(Slows.Length * Fasts.Length, Assert.Single(result.Raw.Study.Stages).PlannedTrials); // grid sizes, before the constraint
    }

    [Fact]
    public async Task Budgets_OuterCandidatesAndInnerTrialsPerCandidate_AreEachLevelsMaxTrials()
    {
        await using var host = await TestServerHost.StartAsync();
        var client = new OptimizerClient(host.Channel);
        var levels = new HierarchicalStages(
            Outer: new StageDefinition { Targets = ["exit"], MaxTrials = 4, Method = new GridSearch { Shuffle = true } },
            Inner: new StageDefinition { Targets = ["entry"], MaxTrials = 3, Method = new RandomSearch() });
        // Every inner proposal costs a trial here: without allow_repeats a repeated draw reuses the stored result.
        var spec = SlowOverFast(levels).AllowRepeats();
        var study = (await client.CreateStudyAsync(spec)).Study;

        await RunAsync(client, study.StudyId);

        var result = await client.GetStudyResultAsync(study.StudyId);
        Assert.Equal(StudyState.Completed, result.Study.State);
        var h = result.Raw.Hierarchical;
        Assert.Equal(4, h.Candidates.Count);
        Assert.All(h.Candidates, c => Assert.Equal(3, c.Trials));
        Assert.Equal(12, result.Study.Counts.Completed);
        Assert.Equal(12, Assert.Single(result.Raw.Study.Stages).PlannedTrials);
        var trials = await client.ListTrialsAsync(study.StudyId).ToListAsync();
        Assert.All(trials, t => Assert.True(t["entry.fast"].AsInt64() < t["exit.slow"].AsInt64()));
        foreach (var candidate in h.Candidates)
        {
            long slow = candidate.OuterParams["exit.slow"].IntValue;
            var own = trials.Where(t => t["exit.slow"].AsInt64() == slow).ToList();
            Assert.Equal(own.Max(t => t.Values["sharpe_ratio"]), candidate.BestScore, 12);
        }

        Assert.Equal(h.Candidates.Max(c => c.BestScore), h.Best.BestScore, 12);
    }

    [Fact]
    public async Task Restart_MidRun_SameTrialsAsAnUninterruptedRun()
    {
        const int restartAfter = 17;
        await using var host = await TestServerHost.StartAsync();
        StudySpec Spec()
        {
            var spec = new StudySpec
            {
                Targets = { Specs.Target("o", Specs.Float("x", 0, 4)), Specs.Target("i", Specs.Float("y", 0, 9)) },
                Objectives = { new Objective { Metric = Specs.Metric, Direction = Direction.Maximize } },
                Method = new MethodSpec { Random = new RandomSearchSettings(), Seed = 77 },
                MaxTrials = 1000,
                Sequence = new SequenceSpec
                {
                    Hierarchical = new HierarchicalSequence
                    {
                        Outer = new StageSpec { Targets = { "o" }, MaxTrials = 10, Method = new MethodSpec { Genetic = new GeneticSettings { PopulationSize = 5, Generations = 2 } } },
                        Inner = new StageSpec { Targets = { "i" }, MaxTrials = 4 },
                    },
                },
            };
            return spec;
        }

        static double Objective(Trial t) => t.Params["o.x"].FloatValue - Math.Pow(t.Params["i.y"].FloatValue - (2 * t.Params["o.x"].FloatValue), 2);
        static string Key(Trial t) => $"{t.Number}:{t.Params["o.x"].FloatValue:R},{t.Params["i.y"].FloatValue:R}";
        async Task<List<string>> Run(string id, int count)
        {
            var keys = new List<string>();
            while (keys.Count < count)
            {
                var asked = await host.Client.AskAsync(id, 1);
                if (asked.Count == 0)
                {
                    break;
                }

                var trial = Assert.Single(asked);
                await host.Client.TellAsync(trial, Specs.Value(Objective(trial)));
                keys.Add(Key(trial));
            }

            return keys;
        }

        await host.Client.CreateAsync("uninterrupted", Spec());
        var expected = await Run("uninterrupted", int.MaxValue);
        Assert.InRange(expected.Count, 24, 40);
        await host.Client.CreateAsync("interrupted", Spec());
        var actual = await Run("interrupted", restartAfter);
        var leased = Assert.Single(await host.Client.AskAsync("interrupted", 1));
        await host.RestartAsync();
        var requeued = Assert.Single(await host.Client.AskAsync("interrupted", 1));
        Assert.Equal(leased.Number, requeued.Number);
        await host.Client.TellAsync(requeued, Specs.Value(Objective(requeued)));
        actual.Add(Key(requeued));
        actual.AddRange(await Run("interrupted", int.MaxValue));

        Assert.Equal(expected, actual);
        var study = await host.Client.GetStudyAsync(new GetStudyRequest { StudyId = "interrupted" }).ResponseAsync;
        Assert.Equal(Contracts.V1.StudyState.Completed, study.Study.State);
    }

    private static async Task RunAsync(OptimizerClient client, string studyId)
    {
        var worker = new OptimizerWorker(client, [studyId], (trial, _) =>
            Task.FromResult(TrialOutcome.FromValues(("sharpe_ratio", Sharpe(trial["entry.fast"].AsInt64(), trial["exit.slow"].AsInt64())))),
            new WorkerOptions { Capacity = 4 });
        await worker.RunAsync().WaitAsync(Limit);
    }
}
