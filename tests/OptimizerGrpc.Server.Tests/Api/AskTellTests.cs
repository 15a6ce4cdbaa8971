using OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Server.Tests.Api;

public sealed class AskTellTests
{
    [Fact]
    public async Task AskTell_SeededRandomSearch_CompletesWithMaxAsBestAndRepeatsWithSameSeed()
    {
        await using var host = await TestServerHost.StartAsync();
        var client = host.Client;
        await client.CreateAsync("rnd", Specs.Random(maxTrials: 5, seed: 99));
        await client.CreateAsync("rnd-twin", Specs.Random(maxTrials: 5, seed: 99));

        var trials = await client.AskAsync("rnd", 10);
        var twins = await client.AskAsync("rnd-twin", 10);

        Assert.Equal(5, trials.Count);
        Assert.Equal(trials.Select(t => t.Params), twins.Select(t => t.Params));
        Assert.All(trials, t =>
        {
            Assert.Equal(TrialState.Running, t.State);
            Assert.Equal(1, t.Attempt);
            Assert.InRange(t.Int("ma.fast"), 1, 50);
            Assert.InRange(t.Int("ma.slow"), 10, 100);
        });
        Assert.Equal(5, trials.Select(t => t.Number).Distinct().Count());

        double[] values = [0.5, 2.5, -1, 1.75, 2.25];
        for (int i = 0; i < trials.Count; i++)
        {
            Assert.Equal(TellStatus.Accepted, (await client.TellAsync(trials[i], Specs.Value(values[i]))).Status);
        }

        var study = await client.GetAsync("rnd");
        Assert.Equal(StudyState.Completed, study.State);
        Assert.Equal(new TrialCounts { Completed = 5 }, study.Counts);
        Assert.Equal(trials[1].Number, study.BestTrial.Number);
        Assert.Equal(2.5, study.BestTrial.Values[Specs.Metric]);
        var after = await client.AskTrialsAsync(new AskTrialsRequest { StudyId = "rnd", Count = 1 });
        Assert.Empty(after.Trials);
        Assert.True(after.StudyFinished);
    }

    [Fact]
    public async Task AskTell_GridWithRelationshipConstraint_IssuesOnlyFeasiblePointsAndCompletes()
    {
        await using var host = await TestServerHost.StartAsync();
        var client = host.Client;
        await client.CreateAsync("grid", Specs.ConstrainedGrid());

        var trials = await client.AskAsync("grid", 100);

        // fast, slow in 1..4 with fast < slow: (1,2) (1,3) (1,4) (2,3) (2,4) (3,4).
        var points = trials.Select(t => (t.Int("ma.fast"), t.Int("ma.slow"))).Order().ToList();
        Assert.Equal([(1L, 2L), (1L, 3L), (1L, 4L), (2L, 3L), (2L, 4L), (3L, 4L)], points);
        foreach (var t in trials)
        {
            Assert.Equal(TellStatus.Accepted, (await client.TellAsync(t, Specs.Value((t.Int("ma.fast") * 10) + t.Int("ma.slow")))).Status);
        }

        var study = await client.GetAsync("grid");
        Assert.Equal(StudyState.Completed, study.State);
        Assert.Equal(new TrialCounts { Completed = 6 }, study.Counts);
        Assert.Equal(34, study.BestTrial.Values[Specs.Metric]);
        Assert.Equal((3L, 4L), (study.BestTrial.Int("ma.fast"), study.BestTrial.Int("ma.slow")));
    }

    [Fact]
    public async Task CreateStudy_GridOfOneBillionPoints_CreatesAndAsksWithoutEnumerating()
    {
        await using var host = await TestServerHost.StartAsync();
        var spec = Specs.Grid(1);
        spec.Targets[0] = Specs.Target("big", Enumerable.Range(0, 9).Select(i => Specs.Int("p" + i, 0, 9)).ToArray());
        await host.Client.CreateAsync("huge", spec);

        var trials = await host.Client.AskAsync("huge", 5);

        Assert.Equal(5, trials.Count);
        Assert.Equal(5, trials.Select(t => string.Join(",", t.Params.OrderBy(p => p.Key).Select(p => p.Value.IntValue))).Distinct().Count());
        Assert.All(trials, t => Assert.Equal(9, t.Params.Count));
        var study = await host.Client.GetAsync("huge");
        Assert.Equal(StudyState.Running, study.State);
        Assert.Equal(5, study.Counts.Running);
    }

    [Fact]
    public async Task TellTrial_SameResultTwice_AcceptedThenDuplicateCountedOnce()
    {
        await using var host = await TestServerHost.StartAsync();
        await host.Client.CreateAsync("dup", Specs.Grid(3));
        var trial = (await host.Client.AskAsync("dup", 1))[0];

        var first = await host.Client.TellAsync(trial, Specs.Value(1.5));
        var second = await host.Client.TellAsync(trial, Specs.Value(1.5));
        var third = await host.Client.TellAsync(trial, Specs.Value(9));

        Assert.Equal(TellStatus.Accepted, first.Status);
        Assert.Equal(TrialState.Completed, first.Trial.State);
        Assert.Equal(TellStatus.Duplicate, second.Status);
        Assert.Equal(TellStatus.Duplicate, third.Status);
        Assert.Equal(1.5, third.Trial.Values[Specs.Metric]);
        var study = await host.Client.GetAsync("dup");
        Assert.Equal(1, study.Counts.Completed);
        Assert.Equal(1.5, study.BestTrial.Values[Specs.Metric]);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public async Task TellTrial_NonFiniteObjective_TrialFailedNamingObjectiveAndNeverBest(double bad)
    {
        await using var host = await TestServerHost.StartAsync();
        await host.Client.CreateAsync("nan", Specs.Grid(3));
        var trials = await host.Client.AskAsync("nan", 3);

        var badFirst = await host.Client.TellAsync(trials[0], Specs.Value(bad));
        Assert.Null((await host.Client.GetAsync("nan")).BestTrial);
        await host.Client.TellAsync(trials[1], Specs.Value(0.25));
        await host.Client.TellAsync(trials[2], Specs.Value(bad));

        Assert.Equal(TellStatus.Accepted, badFirst.Status);
        Assert.Equal(TrialState.Failed, badFirst.Trial.State);
        Assert.Contains("'sharpe_ratio'", badFirst.Trial.Reason, StringComparison.Ordinal);
        var study = await host.Client.GetAsync("nan");
        Assert.Equal(new TrialCounts { Completed = 1, Failed = 2 }, study.Counts);
        Assert.Equal(trials[1].Number, study.BestTrial.Number);
        Assert.Equal(StudyState.Completed, study.State);
    }
}
