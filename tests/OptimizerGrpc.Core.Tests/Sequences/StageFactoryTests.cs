using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Methods.Bayesian;
using OptimizerGrpc.Core.Methods.Genetic;
using OptimizerGrpc.Core.Methods.Grid;
using OptimizerGrpc.Core.Methods.MultiObjective;
using OptimizerGrpc.Core.Methods.Swarm;
using OptimizerGrpc.Core.Sequences;
using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;
using static OptimizerGrpc.Core.Tests.Sequences.PlanningFixture;

namespace OptimizerGrpc.Core.Tests.Sequences;

public sealed class StageFactoryTests
{
    private static StageDefinition? Create(int index, StageTemplate template, SpecViolations v, PlanningContext? study = null) =>
        StageFactory.Create(index, template, DataContext.Whole, study ?? Study(), v);

    [Fact]
    public void Create_TargetsInAnyOrder_FreeIndicesAndSubspaceInSpaceOrder()
    {
        var v = new SpecViolations();

        var stage = Create(0, Stage("", "p", "stop", "ma"), v)!;

        Assert.False(v.Any);
        Assert.Equal("stop+ma", stage.Name);
        Assert.Equal(["stop", "ma"], stage.Targets);
        Assert.Equal([0, 1, 3], stage.FreeIndices);
        Assert.Equal(["ma.fast", "ma.slow", "stop.kind"], stage.Space.Parameters.Select(p => p.Name));
    }

    [Fact]
    public void Create_TargetIsAPrefixOfAnother_OnlyParametersAfterItsDotAreFree()
    {
        var space = new SearchSpace([
            new SearchParameter("ma.fast", new IntDomain(1, 5, 1)),
            new SearchParameter("mac.len", new IntDomain(1, 5, 1)),
        ]);
        var study = Study() with { Space = space, Targets = ["ma", "mac"] };

        var stage = Create(0, Stage("", "p", "ma"), new SpecViolations(), study)!;

        Assert.Equal([0], stage.FreeIndices);
    }

    [Theory]
    [InlineData(0, 0x2AUL)]
    [InlineData(1, 0x9E3779B97F4A7C3FUL)] // 42 + 0x9E3779B97F4A7C15
    [InlineData(4, 0x78DDE6E5FD29F07EUL)] // 42 + 4 * 0x9E3779B97F4A7C15 = 42 + 0x278DDE6E5FD29F054, wrapped to 64 bits
    public void Create_Index_SeedIsStudySeedPlusIndexTimesGoldenIncrement(int index, ulong expected)
    {
        Assert.Equal(expected, Create(index, Stage("", "p", "ma"), new SpecViolations())!.Seed);
    }

    [Fact]
    public void Create_NoStageObjectives_StudyObjectivesWeightsAndMethod()
    {
        var study = Study(new GridSettings(), objectives: [new("sharpe_ratio", true), new("max_drawdown", false)], weights: [1, 0.5]);

        var stage = Create(0, Stage("", "p", "ma"), new SpecViolations(), study)!;

        Assert.Equal(study.Objectives, stage.Objectives);
        Assert.Equal([1, 0.5], stage.Weights!);
        Assert.IsType<GridSettings>(stage.Method);
        Assert.Null(stage.MethodOverride);
        Assert.Equal(100, stage.MaxTrials);
    }

    [Fact]
    public void Create_StageObjectives_DirectionFromSpecOrCatalogAndMissingWeightsOne()
    {
        var template = Stage("", "p", "ma") with
        {
            Objectives = [
                new ObjectiveSpec("max_drawdown", ObjectiveDirection.Unspecified, null), // catalog: lower is better
                new ObjectiveSpec("sharpe_ratio", ObjectiveDirection.Minimize, 2.0),
                new ObjectiveSpec("client_value", ObjectiveDirection.Unspecified, null), // not in the catalog: maximised
            ],
        };

        var stage = Create(0, template, new SpecViolations())!;

        Assert.Equal([new("max_drawdown", false), new("sharpe_ratio", false), new ObjectiveDefinition("client_value", true)], stage.Objectives);
        Assert.Equal([1.0, 2.0, 1.0], stage.Weights!);
    }

    [Fact]
    public void Create_StageObjectivesWithoutWeights_NoWeightsEvenWhenTheStudyHasThem()
    {
        var template = Stage("", "p", "ma") with { Objectives = [new ObjectiveSpec("sortino_ratio", ObjectiveDirection.Maximize, null)] };

        var stage = Create(0, template, new SpecViolations(), Study(weights: [3]))!;

        Assert.Equal([new ObjectiveDefinition("sortino_ratio", true)], stage.Objectives);
        Assert.Null(stage.Weights);
    }

    [Fact]
    public void Create_OwnMethodAndBudget_OverrideTheStudys()
    {
        var grid = new GridSettings(FloatPoints: 3);

        var stage = Create(0, Stage("", "p", "rsi") with { Method = grid, MaxTrials = 7 }, new SpecViolations())!;

        Assert.Same(grid, stage.Method);
        Assert.Same(grid, stage.MethodOverride);
        Assert.Equal(7, stage.MaxTrials);
        Assert.Equal(3, stage.PlannedTrials); // rsi's 3 grid points < 7
    }

    [Fact]
    public void Create_UnknownTarget_NullAndViolationAtTemplateTargets()
    {
        var v = new SpecViolations();

        Assert.Null(Create(0, Stage("", "spec.sequence.parallel.stages[2]", "ma", "macd", "bb"), v));

        var violation = Assert.Single(v.Items); // the first unknown target is reported
        Assert.Equal(new SettingsViolation("spec.sequence.parallel.stages[2].targets", "unknown target 'macd'"), violation);
    }

    [Fact]
    public void Create_NoTargets_NullAndViolation()
    {
        var v = new SpecViolations();

        Assert.Null(Create(0, Stage("", "p"), v));

        Assert.Equal([new SettingsViolation("p.targets", "a stage needs at least one target")], v.Items);
    }

    public static TheoryData<MethodSettings, long> NeedsABudget => new()
    {
        { new RandomSettings(), 0 },
        { new BayesianSettings(), 0 },
        { new GridSettings(), -1 },
    };

    [Theory]
    [MemberData(nameof(NeedsABudget))]
    public void Create_ZeroBudgetForRandomOrBayesianOrNegativeBudget_ViolationAtMaxTrials(MethodSettings method, long maxTrials)
    {
        var v = new SpecViolations();

        Create(0, Stage("", "spec.sequence.sequential.stages[0]", "ma") with { Method = method, MaxTrials = maxTrials }, v);

        Assert.Equal([new SettingsViolation("spec.sequence.sequential.stages[0].max_trials", "random, Bayesian, TPE and auto stages need max_trials > 0")], v.Items);
    }

    public static TheoryData<MethodSettings, long, long> Planned => new()
    {
        { new GridSettings(), 100, 15 },          // ma: 5 * 3 grid points
        { new GridSettings(), 10, 10 },           // the budget caps the grid
        { new GridSettings(), 0, 15 },            // no budget: the whole grid
        { new GeneticSettings(PopulationSize: 10, Generations: 4), 100, 40 },       // 10 * 4
        { new GeneticSettings(PopulationSize: 10, Generations: 4), 25, 25 },
        { new ParticleSwarmSettings(SwarmSize: 5, Iterations: 3), 100, 15 },        // 5 * 3
        { new Nsga2Settings(PopulationSize: 8, Generations: 2), 0, 16 },            // 8 * 2
        { new RandomSettings(), 30, 30 },         // no natural size: the budget
        { new BayesianSettings(), 12, 12 },
    };

    [Theory]
    [MemberData(nameof(Planned))]
    public void PlannedTrials_MethodAndBudget_MinimumOfBothWhenBothAreSet(MethodSettings method, long maxTrials, long expected)
    {
        Assert.Equal(expected, StageFactory.PlannedTrials(method, Space, [0, 1], maxTrials));
    }

    [Fact]
    public void PlannedTrials_NoFreeParameters_One()
    {
        Assert.Equal(1, StageFactory.PlannedTrials(new RandomSettings(), Space, [], 100));
    }

    [Fact]
    public void PlannedTrials_FloatRangeWithoutStep_FloatPointsPerRange()
    {
        var space = new SearchSpace([new SearchParameter("x.a", new FloatDomain(0, 1, null, false)), new SearchParameter("x.b", new IntDomain(0, 1, 1))]);

        Assert.Equal(8, StageFactory.PlannedTrials(new GridSettings(FloatPoints: 4), space, [0, 1], 0)); // 4 * 2
    }

    [Fact]
    public void PlannedTrials_GridLargerThanInt64_TheBudget()
    {
        // Four ranges of 1,000,001 points: about 1e24 points, which GridSize reports as null.
        var space = new SearchSpace([.. Enumerable.Range(0, 4).Select(i => new SearchParameter($"x.p{i}", new IntDomain(0, 1_000_000, 1)))]);

        Assert.Equal(500, StageFactory.PlannedTrials(new GridSettings(), space, [0, 1, 2, 3], 500));
        Assert.Equal(0, StageFactory.PlannedTrials(new GridSettings(), space, [0, 1, 2, 3], 0));
    }
}
