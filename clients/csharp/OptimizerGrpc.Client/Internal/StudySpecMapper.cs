using V1 = OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Client;

/// <summary>
/// The one place the builder's inputs (methods, objectives, stages, sequences) become wire messages. Unset settings
/// stay unset on the wire so the server applies its documented defaults. Kept apart from <see cref="ProtoMapper"/>,
/// which maps the records the server sends back.
/// </summary>
internal static class StudySpecMapper
{
    public static V1.MethodSpec ToProto(SearchMethod method)
    {
        var spec = method switch
        {
            GridSearch g => new V1.MethodSpec { Grid = ToProto(g) },
            RandomSearch => new V1.MethodSpec { Random = new V1.RandomSearchSettings() },
            GeneticSearch g => new V1.MethodSpec { Genetic = ToProto(g) },
            BayesianSearch b => new V1.MethodSpec { Bayesian = ToProto(b) },
            TpeSearch t => new V1.MethodSpec { Tpe = ToProto(t) },
            AutoSearch => new V1.MethodSpec { Auto = new V1.AutoSettings() },
            ParticleSwarmSearch p => new V1.MethodSpec { ParticleSwarm = ToProto(p) },
            Nsga2Search n => new V1.MethodSpec { Nsga2 = ToProto(n) },
            _ => throw new ArgumentException($"Unknown search method {method.GetType().Name}.", nameof(method)),
        };
        if (method.Seed is { } seed)
        {
            spec.Seed = seed;
        }

        spec.AllowRepeats = method.AllowRepeats;
        return spec;
    }

    public static V1.Objective ToProto(StudyObjective objective)
    {
        var result = new V1.Objective { Metric = objective.Metric, Direction = (V1.Direction)(int)objective.Direction };
        if (objective.Weight is { } weight)
        {
            result.Weight = weight;
        }

        return result;
    }

    public static V1.StageSpec ToProto(StageDefinition stage)
    {
        var result = new V1.StageSpec { Name = stage.Name, Method = stage.Method is null ? null : ToProto(stage.Method) };
        result.Targets.AddRange(stage.Targets);
        result.Objectives.AddRange(stage.Objectives.Select(ToProto));
        if (stage.MaxTrials is { } maxTrials)
        {
            result.MaxTrials = maxTrials;
        }

        return result;
    }

    public static V1.SequenceSpec ToProto(StudySequence sequence) => sequence switch
    {
        SingleStage => new V1.SequenceSpec { Single = new V1.SingleSequence() },
        SequentialStages s => new V1.SequenceSpec { Sequential = new V1.SequentialSequence { Stages = { s.Stages.Select(ToProto) } } },
        ParallelStages p => new V1.SequenceSpec { Parallel = new V1.ParallelSequence { Stages = { p.Stages.Select(ToProto) } } },
        HierarchicalStages h => new V1.SequenceSpec
        {
            Hierarchical = new V1.HierarchicalSequence { Outer = ToProto(h.Outer), Inner = ToProto(h.Inner) },
        },
        RegimeSpecificStages r => new V1.SequenceSpec { RegimeSpecific = ToProto(r) },
        WalkForwardStages w => new V1.SequenceSpec { WalkForward = ToProto(w) },
        _ => throw new ArgumentException($"Unknown sequence {sequence.GetType().Name}.", nameof(sequence)),
    };

    private static V1.GridSearchSettings ToProto(GridSearch grid)
    {
        var s = new V1.GridSearchSettings { Shuffle = grid.Shuffle, Verbose = grid.Verbose };
        if (grid.FloatPoints is { } points) { s.FloatPoints = points; }
        return s;
    }

    private static V1.GeneticSettings ToProto(GeneticSearch genetic)
    {
        var s = new V1.GeneticSettings();
        if (genetic.PopulationSize is { } p) { s.PopulationSize = p; }
        if (genetic.Generations is { } g) { s.Generations = g; }
        if (genetic.MutationRate is { } m) { s.MutationRate = m; }
        if (genetic.CrossoverRate is { } c) { s.CrossoverRate = c; }
        if (genetic.EliteCount is { } e) { s.EliteCount = e; }
        if (genetic.TournamentSize is { } t) { s.TournamentSize = t; }
        return s;
    }

    private static V1.TpeSettings ToProto(TpeSearch tpe)
    {
        var s = new V1.TpeSettings();
        if (tpe.StartupTrials is { } startup) { s.NStartupTrials = startup; }
        if (tpe.Candidates is { } candidates) { s.NEiCandidates = candidates; }
        if (tpe.Multivariate is { } multivariate) { s.Multivariate = multivariate; }
        if (tpe.PriorWeight is { } prior) { s.PriorWeight = prior; }
        if (tpe.LocalFraction is { } local) { s.LocalFraction = local; }
        if (tpe.LogScaleRatio is { } ratio) { s.LogScaleRatio = ratio; }
        if (tpe.LateLocalFraction is { } lateLocal) { s.LateLocalFraction = lateLocal; }
        if (tpe.LateAfter is { } lateAfter) { s.LateAfter = lateAfter; }
        if (tpe.SecondBasinFraction is { } second) { s.SecondBasinFraction = second; }
        return s;
    }

    private static V1.BayesianSettings ToProto(BayesianSearch bayesian)
    {
        var s = new V1.BayesianSettings { Acquisition = (V1.Acquisition)(int)bayesian.Acquisition };
        if (bayesian.InitialTrials is { } n) { s.NInitial = n; }
        if (bayesian.UcbBeta is { } b) { s.UcbBeta = b; }
        if (bayesian.OutputWarping is { } warp) { s.OutputWarping = warp; }
        return s;
    }

    private static V1.ParticleSwarmSettings ToProto(ParticleSwarmSearch swarm)
    {
        var s = new V1.ParticleSwarmSettings();
        if (swarm.SwarmSize is { } n) { s.SwarmSize = n; }
        if (swarm.Iterations is { } i) { s.Iterations = i; }
        if (swarm.Inertia is { } w) { s.Inertia = w; }
        if (swarm.Cognitive is { } c) { s.Cognitive = c; }
        if (swarm.Social is { } so) { s.Social = so; }
        if (swarm.MaxVelocityFraction is { } v) { s.MaxVelocityFraction = v; }
        return s;
    }

    private static V1.Nsga2Settings ToProto(Nsga2Search nsga2)
    {
        var s = new V1.Nsga2Settings();
        if (nsga2.PopulationSize is { } p) { s.PopulationSize = p; }
        if (nsga2.Generations is { } g) { s.Generations = g; }
        if (nsga2.MutationRate is { } m) { s.MutationRate = m; }
        if (nsga2.CrossoverRate is { } c) { s.CrossoverRate = c; }
        return s;
    }

    private static V1.RegimeSpecificSequence ToProto(RegimeSpecificStages regime)
    {
        var s = new V1.RegimeSpecificSequence
        {
            Stage = regime.Stage is null ? null : ToProto(regime.Stage),
            Mode = (V1.EvaluationMode)(int)regime.Mode,
            RegimeDetectorTarget = regime.RegimeDetectorTarget ?? string.Empty,
        };
        if (regime.MinRegimeData is { } min) { s.MinRegimeData = min; }
        if (regime.CrossRegimeValidation is { } cross) { s.CrossRegimeValidation = cross; }
        return s;
    }

    private static V1.WalkForwardSequence ToProto(WalkForwardStages walk)
    {
        var s = new V1.WalkForwardSequence
        {
            Stage = walk.Stage is null ? null : ToProto(walk.Stage),
            InSampleBars = walk.InSampleBars,
            OutOfSampleBars = walk.OutOfSampleBars,
            WindowKind = (V1.WindowKind)(int)walk.WindowMovement,
            Mode = (V1.EvaluationMode)(int)walk.Mode,
        };
        if (walk.StepBars is { } step) { s.StepBars = step; }
        return s;
    }
}
