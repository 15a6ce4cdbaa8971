using OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Server.Tests.Integration;

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
            // One at a time: a repeat of a trial still in flight is evaluated again (only finished results are reused).
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
}
