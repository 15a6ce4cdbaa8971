using OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Server.Tests.Api;

/// <summary>A combination the client refuses (infeasible_reason) is INFEASIBLE with its reason, and never evaluated again.</summary>
public sealed class RefusedOutcomeTests
{
    [Theory]
    [InlineData("random")]
    [InlineData("bayesian")]
    [InlineData("genetic")]
    public async Task Tell_RefusedAssignment_InfeasibleWithReason_NeverProposedAgain(string method)
    {
        await using var host = await TestServerHost.StartAsync();
        var spec = new StudySpec
        {
            DisplayName = "refusals",
            Targets = { Specs.Target("t", Specs.Int("x", 1, 4), Specs.Int("y", 1, 4)) },
            Objectives = { new Objective { Metric = Specs.Metric, Direction = Direction.Maximize } },
            Method = method switch
            {
                "bayesian" => new MethodSpec { Bayesian = new BayesianSettings { NInitial = 4 }, Seed = 5 },
                "genetic" => new MethodSpec { Genetic = new GeneticSettings { PopulationSize = 6, Generations = 8 }, Seed = 5 },
                _ => new MethodSpec { Random = new RandomSearchSettings(), Seed = 5 },
            },
            MaxTrials = 14,
        };
        await host.Client.CreateAsync("r", spec);

        var seen = new List<(long X, long Y)>();
        for (int round = 0; round < 200; round++)
        {
            var trials = await host.Client.AskAsync("r", 1);
            if (trials.Count == 0)
            {
                break;
            }

            var trial = trials[0];
            long x = trial.Int("t.x"), y = trial.Int("t.y");
            seen.Add((x, y));
            // The user's rule refuses x >= y (as a validate_parameters would); the score grows with x and y otherwise.
            var outcome = x >= y ? new TrialOutcome { InfeasibleReason = $"fast ({x}) must be less than slow ({y})" } : Specs.Value(x + (10 * y));
            await host.Client.TellAsync(trial, outcome);
        }

        Assert.Equal(seen.Count, seen.Distinct().Count());
        var listed = (await host.Client.ListTrialsAsync(new ListTrialsRequest { StudyId = "r", PageSize = 100 })).Trials;
        var refused = listed.Where(t => t.Int("t.x") >= t.Int("t.y")).ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, t =>
        {
            Assert.Equal(TrialState.Infeasible, t.State);
            Assert.Equal($"refused by the client: fast ({t.Int("t.x")}) must be less than slow ({t.Int("t.y")})", t.Reason);
        });
        var study = await host.Client.GetAsync("r");
        Assert.Equal(0, study.Counts.Failed);
        Assert.Equal(StudyState.Completed, study.State);
    }

    [Fact]
    public async Task Tell_OnlyRefusals_DoNotSpendTheFailureBudget()
    {
        await using var host = await TestServerHost.StartAsync();
        await host.Client.CreateAsync("all-refused", Specs.Random(15));

        for (int i = 0; i < 15; i++)
        {
            var trial = (await host.Client.AskAsync("all-refused", 1)).Single();
            await host.Client.TellAsync(trial, new TrialOutcome { InfeasibleReason = "no" });
        }

        var study = await host.Client.GetAsync("all-refused");
        Assert.Equal(StudyState.Completed, study.State);
        Assert.Equal(15, study.Counts.Infeasible);
    }
}
