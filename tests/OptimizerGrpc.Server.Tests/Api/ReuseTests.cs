using OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Server.Tests.Api;

/// <summary>An assignment already evaluated is not evaluated again unless the study allows repeats.</summary>
public sealed class ReuseTests
{
    [Theory]
    [InlineData(false, 6)]
    [InlineData(true, 40)]
    public async Task RandomSearchOnSixPoints_RepeatsReusedUnlessAllowed(bool allowRepeats, int expectedTrials)
    {
        await using var host = await TestServerHost.StartAsync();
        var spec = new StudySpec
        {
            DisplayName = "tiny",
            Targets = { Specs.Target("t", Specs.Int("x", 1, 3), new Parameter { Name = "k", Categorical = new Categorical { Choices = { "a", "b" } } }) },
            Objectives = { new Objective { Metric = Specs.Metric, Direction = Direction.Maximize } },
            Method = new MethodSpec { Random = new RandomSearchSettings(), Seed = 3, AllowRepeats = allowRepeats },
            MaxTrials = 40,
        };
        await host.Client.CreateAsync("tiny", spec);

        var keys = new List<string>();
        for (int i = 0; i < 100; i++)
        {
            var trials = await host.Client.AskAsync("tiny", 1);
            if (trials.Count == 0)
            {
                break;
            }

            foreach (var trial in trials)
            {
                keys.Add($"{trial.Params["t.x"].IntValue}{trial.Params["t.k"].StringValue}");
                await host.Client.TellAsync(trial, Specs.Value(trial.Params["t.x"].IntValue));
            }
        }

        var study = await host.Client.GetAsync("tiny");
        Assert.Equal(StudyState.Completed, study.State);
        Assert.Equal(expectedTrials, keys.Count);
        if (!allowRepeats)
        {
            Assert.Equal(6, keys.Distinct().Count());
        }

        Assert.Equal(3, study.BestTrial.Params["t.x"].IntValue);
    }

    [Fact]
    public async Task RepeatsOfTrialsInFlight_WaitForTheirResult_NoAssignmentRunsTwice_AlsoAcrossARestart()
    {
        // Random search on 9 points, asked in large batches before any result: most proposals repeat a trial still in
        // flight and must wait for its result rather than run the same backtest again.
        static StudySpec Spec() => new()
        {
            DisplayName = "twins",
            Targets = { Specs.Target("t", Specs.Int("x", 1, 3), Specs.Int("y", 1, 3)) },
            Objectives = { new Objective { Metric = Specs.Metric, Direction = Direction.Maximize } },
            Method = new MethodSpec { Random = new RandomSearchSettings(), Seed = 11 },
            MaxTrials = 30,
        };
        static double Value(Trial t) => (t.Params["t.x"].IntValue * 10) + t.Params["t.y"].IntValue;

        async Task<List<string>> RunAsync(TestServerHost host, string id, bool restartMidway)
        {
            var keys = new List<string>();
            for (int round = 0; round < 100; round++)
            {
                var trials = await host.Client.AskAsync(id, 5);
                if (trials.Count == 0)
                {
                    break;
                }

                if (restartMidway && round == 0)
                {
                    await host.RestartAsync(); // the waiting repeats must survive, and get the requeued trials' results
                    trials = await host.Client.AskAsync(id, 5, "w2");
                }

                foreach (var trial in Enumerable.Reverse(trials))
                {
                    keys.Add($"{trial.Number}:{trial.Params["t.x"].IntValue},{trial.Params["t.y"].IntValue}");
                    await host.Client.TellAsync(trial, Specs.Value(Value(trial)), worker: trial.WorkerId);
                }
            }

            return keys;
        }

        await using var host = await TestServerHost.StartAsync();
        await host.Client.CreateAsync("straight", Spec());
        var straight = await RunAsync(host, "straight", restartMidway: false);
        await host.Client.CreateAsync("restarted", Spec());
        var restarted = await RunAsync(host, "restarted", restartMidway: true);

        foreach (var (id, keys) in new[] { ("straight", straight), ("restarted", restarted) })
        {
            var assignments = keys.Select(k => k[(k.IndexOf(':') + 1)..]).ToList();
            Assert.Equal(assignments.Count, assignments.Distinct().Count()); // no assignment evaluated twice
            Assert.Equal(9, assignments.Count);
            var study = await host.Client.GetAsync(id);
            Assert.Equal(StudyState.Completed, study.State);
            Assert.Equal(33, Value(study.BestTrial));
        }

        Assert.Equal(straight.Order(), restarted.Order());
    }

    [Fact]
    public async Task GeneticOnADiscreteSpace_SameTrialsWithOneOrEightConcurrentEvaluations()
    {
        // Repeats of evaluated or in-flight assignments are resolved without trials, and the end of a stage that only
        // repeats itself is counted in proposals, so concurrency changes neither which assignments run nor how many.
        await using var host = await TestServerHost.StartAsync();
        var client = new Client.OptimizerClient(host.Channel);
        async Task<List<string>> RunAsync(int capacity)
        {
            var spec = new Client.StudyBuilder("ga-discrete")
                .Target("w", t => t.Float("a", 0, 1, step: 0.5).Float("b", 0, 1, step: 0.5).Float("c", 0, 1, step: 0.5))
                .Maximize(Specs.Metric)
                .Genetic(populationSize: 12, generations: 60)
                .Seed(5);
            var study = (await client.CreateStudyAsync(spec)).Study;
            var worker = new Client.OptimizerWorker(client, [study.StudyId], async (trial, ct) =>
            {
                await Task.Delay(Random.Shared.Next(0, 3), ct); // results come back in a different order each run
                double a = trial["w.a"].AsDouble(), b = trial["w.b"].AsDouble(), c = trial["w.c"].AsDouble();
                return Client.TrialOutcome.FromValues((Specs.Metric, -Math.Pow(a - 0.5, 2) - Math.Pow(b - 0.75, 2) - Math.Pow(c - 0.25, 2)));
            }, new Client.WorkerOptions { Capacity = capacity });
            await worker.RunAsync().WaitAsync(TimeSpan.FromSeconds(60));
            var trials = await client.ListTrialsAsync(study.StudyId).ToListAsync();
            return [.. trials.Select(t => $"{t["w.a"].AsDouble()},{t["w.b"].AsDouble()},{t["w.c"].AsDouble()}").Order()];
        }

        var one = await RunAsync(1);
        var eight = await RunAsync(8);

        Assert.Equal(one.Count, one.Distinct().Count());
        Assert.Equal(one, eight);
    }
}
