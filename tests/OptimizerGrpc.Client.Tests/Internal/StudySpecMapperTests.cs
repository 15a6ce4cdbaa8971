using V1 = OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Client.Tests.Internal;

/// <summary>The builder's client types as wire messages: every set field carried, every unset one left unset.</summary>
public sealed class StudySpecMapperTests
{
    [Fact]
    public void ToProto_GridSearchWithEverySetting_SetsEveryField()
    {
        var spec = StudySpecMapper.ToProto(new GridSearch { FloatPoints = 7, Shuffle = true, Verbose = true, Seed = 42, AllowRepeats = true });

        Assert.Equal(new V1.MethodSpec { Grid = new V1.GridSearchSettings { FloatPoints = 7, Shuffle = true, Verbose = true }, Seed = 42, AllowRepeats = true }, spec);
    }

    [Fact]
    public void ToProto_MethodsWithoutSettings_LeaveEveryOptionalFieldUnset()
    {
        Assert.Equal(new V1.MethodSpec { Grid = new V1.GridSearchSettings() }, StudySpecMapper.ToProto(new GridSearch()));
        Assert.Equal(new V1.MethodSpec { Random = new V1.RandomSearchSettings() }, StudySpecMapper.ToProto(new RandomSearch()));
        Assert.Equal(new V1.MethodSpec { Genetic = new V1.GeneticSettings() }, StudySpecMapper.ToProto(new GeneticSearch()));
        Assert.Equal(new V1.MethodSpec { Bayesian = new V1.BayesianSettings() }, StudySpecMapper.ToProto(new BayesianSearch()));
        Assert.Equal(new V1.MethodSpec { ParticleSwarm = new V1.ParticleSwarmSettings() }, StudySpecMapper.ToProto(new ParticleSwarmSearch()));
        Assert.Equal(new V1.MethodSpec { Nsga2 = new V1.Nsga2Settings() }, StudySpecMapper.ToProto(new Nsga2Search()));
        Assert.False(StudySpecMapper.ToProto(new RandomSearch()).HasSeed);
    }

    [Fact]
    public void ToProto_GeneticWithEverySetting_SetsEveryField()
    {
        var spec = StudySpecMapper.ToProto(new GeneticSearch
        {
            PopulationSize = 30, Generations = 12, MutationRate = 0.1, CrossoverRate = 0.8, EliteCount = 0, TournamentSize = 3,
        });

        var expected = new V1.GeneticSettings { PopulationSize = 30, Generations = 12, MutationRate = 0.1, CrossoverRate = 0.8, EliteCount = 0, TournamentSize = 3 };
        Assert.Equal(expected, spec.Genetic);
        Assert.True(spec.Genetic.HasEliteCount); // 0 is a setting, not "unset"
    }

    [Fact]
    public void ToProto_BayesianUcb_SetsAcquisitionInitialTrialsAndBeta()
    {
        var spec = StudySpecMapper.ToProto(new BayesianSearch { InitialTrials = 8, Acquisition = AcquisitionFunction.UpperConfidenceBound, UcbBeta = 2.5 });

        Assert.Equal(new V1.BayesianSettings { NInitial = 8, Acquisition = V1.Acquisition.UpperConfidenceBound, UcbBeta = 2.5 }, spec.Bayesian);
    }

    [Fact]
    public void ToProto_ParticleSwarmAndNsga2WithEverySetting_SetEveryField()
    {
        var swarm = StudySpecMapper.ToProto(new ParticleSwarmSearch
        {
            SwarmSize = 10, Iterations = 6, Inertia = 0.7, Cognitive = 1.5, Social = 1.4, MaxVelocityFraction = 0.3,
        });
        var nsga2 = StudySpecMapper.ToProto(new Nsga2Search { PopulationSize = 8, Generations = 3, MutationRate = 0.2, CrossoverRate = 0.9 });

        Assert.Equal(
            new V1.ParticleSwarmSettings { SwarmSize = 10, Iterations = 6, Inertia = 0.7, Cognitive = 1.5, Social = 1.4, MaxVelocityFraction = 0.3 },
            swarm.ParticleSwarm);
        Assert.Equal(new V1.Nsga2Settings { PopulationSize = 8, Generations = 3, MutationRate = 0.2, CrossoverRate = 0.9 }, nsga2.Nsga2);
    }

    [Fact]
    public void ToProto_Objectives_MapDirectionAndWeight()
    {
        Assert.Equal(new V1.Objective { Metric = "sharpe_ratio", Direction = V1.Direction.Maximize }, StudySpecMapper.ToProto(StudyObjective.Maximize("sharpe_ratio")));
        Assert.Equal(
            new V1.Objective { Metric = "max_drawdown", Direction = V1.Direction.Minimize, Weight = 0.5 },
            StudySpecMapper.ToProto(StudyObjective.Minimize("max_drawdown", 0.5)));
        Assert.Equal(new V1.Objective { Metric = "trades", Direction = V1.Direction.Unspecified }, StudySpecMapper.ToProto(new StudyObjective("trades")));
    }

    [Fact]
    public void ToProto_StageWithEverySetting_SetsEveryField()
    {
        var stage = new StageDefinition
        {
            Name = "exit", Targets = ["exit", "size"], Method = new RandomSearch { Seed = 3 }, Objectives = [StudyObjective.Maximize("sortino_ratio")],
            MaxTrials = 40,
        };

        var expected = new V1.StageSpec
        {
            Name = "exit", Targets = { "exit", "size" }, Method = new V1.MethodSpec { Random = new V1.RandomSearchSettings(), Seed = 3 },
            Objectives = { new V1.Objective { Metric = "sortino_ratio", Direction = V1.Direction.Maximize } }, MaxTrials = 40,
        };
        Assert.Equal(expected, StudySpecMapper.ToProto(stage));
    }

    [Fact]
    public void ToProto_EmptyStage_LeavesMethodObjectivesAndBudgetToTheStudy()
    {
        var spec = StudySpecMapper.ToProto(new StageDefinition { Targets = ["entry"] });

        Assert.Equal(new V1.StageSpec { Targets = { "entry" } }, spec);
        Assert.Null(spec.Method);
        Assert.False(spec.HasMaxTrials);
    }

    [Fact]
    public void ToProto_SingleSequentialAndParallel_MapTheirStages()
    {
        var a = new StageDefinition { Name = "a", Targets = ["a"] };
        var b = new StageDefinition { Name = "b", Targets = ["b"] };

        Assert.Equal(new V1.SequenceSpec { Single = new V1.SingleSequence() }, StudySpecMapper.ToProto(new SingleStage()));
        Assert.Equal(new V1.SequenceSpec { Sequential = new V1.SequentialSequence() }, StudySpecMapper.ToProto(new SequentialStages()));
        Assert.Equal(
            new V1.SequenceSpec { Sequential = new V1.SequentialSequence { Stages = { StudySpecMapper.ToProto(a), StudySpecMapper.ToProto(b) } } },
            StudySpecMapper.ToProto(new SequentialStages(a, b)));
        Assert.Equal(
            new V1.SequenceSpec { Parallel = new V1.ParallelSequence { Stages = { StudySpecMapper.ToProto(b) } } },
            StudySpecMapper.ToProto(new ParallelStages([b])));
    }

    [Fact]
    public void ToProto_Hierarchical_MapsOuterAndInner()
    {
        var spec = StudySpecMapper.ToProto(new HierarchicalStages(
            new StageDefinition { Targets = ["exit"], MaxTrials = 4 }, new StageDefinition { Targets = ["entry"], MaxTrials = 3 }));

        Assert.Equal(
            new V1.HierarchicalSequence
            {
                Outer = new V1.StageSpec { Targets = { "exit" }, MaxTrials = 4 }, Inner = new V1.StageSpec { Targets = { "entry" }, MaxTrials = 3 },
            },
            spec.Hierarchical);
    }

    [Fact]
    public void ToProto_RegimeSpecific_MapsEverySettingAndLeavesUnsetOnesUnset()
    {
        var full = StudySpecMapper.ToProto(new RegimeSpecificStages
        {
            Stage = new StageDefinition { Name = "regime", Targets = ["ma"] }, MinRegimeData = 150, Mode = StageEvaluation.Attribution,
            RegimeDetectorTarget = "detector",
        });
        var bare = StudySpecMapper.ToProto(new RegimeSpecificStages());

        Assert.Equal(
            new V1.RegimeSpecificSequence
            {
                Stage = new V1.StageSpec { Name = "regime", Targets = { "ma" } }, MinRegimeData = 150, Mode = V1.EvaluationMode.Attribution,
                RegimeDetectorTarget = "detector",
            },
            full.RegimeSpecific);
        Assert.Equal(new V1.RegimeSpecificSequence(), bare.RegimeSpecific);
        Assert.False(bare.RegimeSpecific.HasMinRegimeData);
    }

    [Fact]
    public void ToProto_WalkForward_MapsWindowsStepMovementAndMode()
    {
        var full = StudySpecMapper.ToProto(new WalkForwardStages(2000, 1000)
        {
            StepBars = 500, WindowMovement = WindowMovement.Anchored, Mode = StageEvaluation.Segment, Stage = new StageDefinition { Targets = ["ma"] },
        });
        var bare = StudySpecMapper.ToProto(new WalkForwardStages(300, 100));

        Assert.Equal(
            new V1.WalkForwardSequence
            {
                Stage = new V1.StageSpec { Targets = { "ma" } }, InSampleBars = 2000, OutOfSampleBars = 1000, StepBars = 500,
                WindowKind = V1.WindowKind.Anchored, Mode = V1.EvaluationMode.Segment,
            },
            full.WalkForward);
        Assert.Equal(new V1.WalkForwardSequence { InSampleBars = 300, OutOfSampleBars = 100 }, bare.WalkForward);
        Assert.False(bare.WalkForward.HasStepBars);
    }

    [Fact]
    public void Enums_MatchProtoNumbering()
    {
        Assert.Equal((int)V1.Direction.Minimize, (int)ObjectiveDirection.Minimize);
        Assert.Equal((int)V1.Acquisition.UpperConfidenceBound, (int)AcquisitionFunction.UpperConfidenceBound);
        Assert.Equal((int)V1.TargetKind.Custom, (int)TargetCategory.Custom);
        Assert.Equal((int)V1.TargetKind.PositionSizing, (int)TargetCategory.PositionSizing);
        Assert.Equal((int)V1.EvaluationMode.Attribution, (int)StageEvaluation.Attribution);
        Assert.Equal((int)V1.WindowKind.Anchored, (int)WindowMovement.Anchored);
    }
}
