using OptimizerGrpc.Client;

namespace OptimizerGrpc.Optimization;

/// <summary>
/// A search method (the spec's <c>OptimizationMethod</c>). The search runs on the server; these options become the
/// study's method. Settings left null take the server's documented defaults.
/// </summary>
public abstract record OptimizationMethod
{
    /// <summary>Seed for a reproducible search; null lets the server draw one (stored with the study).</summary>
    public ulong? Seed { get; init; }

    /// <summary>The client's method, with this method's seed.</summary>
    internal SearchMethod ToSearchMethod() => Settings() with { Seed = Seed };

    /// <summary>The number of trials this method runs, when it knows it; <paramref name="gridSize"/> is the space's grid size, when finite.</summary>
    internal abstract long? Budget(long? gridSize);

    /// <summary>The trial budget to send (0 = until the method is exhausted).</summary>
    internal virtual long MaxTrials => 0;

    private protected abstract SearchMethod Settings();
}

/// <summary>Exhaustive grid search over every combination (in a fixed order unless <see cref="Shuffle"/>).</summary>
public sealed record GridSearchMethod : OptimizationMethod
{
    /// <summary>Creates the options.</summary>
    public GridSearchMethod(bool verbose = false, int? floatPoints = null, bool shuffle = false)
    {
        Verbose = verbose;
        FloatPoints = floatPoints;
        Shuffle = shuffle;
    }

    /// <summary>Sent as the grid settings' verbose flag (the spec's GridSearchMethod(verbose=True)). Default false.</summary>
    public bool Verbose { get; init; }

    /// <summary>Grid size of a float range without step; null uses the server default (10).</summary>
    public int? FloatPoints { get; init; }

    /// <summary>Visit the grid in a seeded random order instead of a fixed one.</summary>
    public bool Shuffle { get; init; }

    internal override long? Budget(long? gridSize) => gridSize;

    private protected override SearchMethod Settings() => new GridSearch { FloatPoints = FloatPoints, Shuffle = Shuffle, Verbose = Verbose };
}

/// <summary>Uniform random search, <see cref="Trials"/> candidates (default 100).</summary>
public sealed record RandomSearchMethod : OptimizationMethod
{
    /// <summary>Creates the options.</summary>
    public RandomSearchMethod(int trials = 100)
    {
        Trials = trials;
    }

    /// <summary>Number of candidates evaluated (the trial budget).</summary>
    public int Trials { get; init; }

    internal override long? Budget(long? gridSize) => Trials;

    internal override long MaxTrials => Trials > 0 ? Trials : throw new ArgumentOutOfRangeException(nameof(Trials), Trials, "Must be > 0.");

    private protected override SearchMethod Settings() => new RandomSearch();
}

/// <summary>Genetic algorithm (tournament selection, crossover, mutation, elitism).</summary>
public sealed record GeneticMethod : OptimizationMethod
{
    /// <summary>Creates the options.</summary>
    public GeneticMethod(int? populationSize = null, int? generations = null, double? mutationRate = null, double? crossoverRate = null, int? eliteCount = null, int? tournamentSize = null)
    {
        PopulationSize = populationSize;
        Generations = generations;
        MutationRate = mutationRate;
        CrossoverRate = crossoverRate;
        EliteCount = eliteCount;
        TournamentSize = tournamentSize;
    }

    /// <summary>Individuals per generation; null uses the server default.</summary>
    public int? PopulationSize { get; init; }

    /// <summary>Number of generations; null uses the server default.</summary>
    public int? Generations { get; init; }

    /// <summary>Probability of mutating a gene, in [0, 1]; null uses the server default.</summary>
    public double? MutationRate { get; init; }

    /// <summary>Probability of crossing two parents, in [0, 1]; null uses the server default.</summary>
    public double? CrossoverRate { get; init; }

    /// <summary>Best individuals copied unchanged to the next generation; null uses the server default.</summary>
    public int? EliteCount { get; init; }

    /// <summary>Individuals per selection tournament; null uses the server default.</summary>
    public int? TournamentSize { get; init; }

    internal override long? Budget(long? gridSize) =>
        PopulationSize is { } p && Generations is { } g ? (long)p * g : null;

    private protected override SearchMethod Settings() => new GeneticSearch
    {
        PopulationSize = PopulationSize, Generations = Generations, MutationRate = MutationRate, CrossoverRate = CrossoverRate,
        EliteCount = EliteCount, TournamentSize = TournamentSize,
    };
}

/// <summary>Gaussian-process Bayesian optimisation, <see cref="Trials"/> candidates (default 50).</summary>
public sealed record BayesianMethod : OptimizationMethod
{
    /// <summary>Creates the options.</summary>
    public BayesianMethod(int trials = 50, int? initialTrials = null, AcquisitionFunction acquisition = AcquisitionFunction.Default,
        bool? outputWarping = null)
    {
        Trials = trials;
        InitialTrials = initialTrials;
        Acquisition = acquisition;
        OutputWarping = outputWarping;
    }

    /// <summary>Number of candidates evaluated (the trial budget).</summary>
    public int Trials { get; init; }

    /// <summary>Random trials before the Gaussian process is fitted; null uses the server default.</summary>
    public int? InitialTrials { get; init; }

    /// <summary>Acquisition function; Default uses the server's (log expected improvement).</summary>
    public AcquisitionFunction Acquisition { get; init; }

    /// <summary>Model Yeo-Johnson-warped scores (helps heavy-tailed objectives); null uses the server default (off).</summary>
    public bool? OutputWarping { get; init; }

    internal override long? Budget(long? gridSize) => Trials;

    internal override long MaxTrials => Trials > 0 ? Trials : throw new ArgumentOutOfRangeException(nameof(Trials), Trials, "Must be > 0.");

    private protected override SearchMethod Settings() => new BayesianSearch { InitialTrials = InitialTrials, Acquisition = Acquisition, OutputWarping = OutputWarping };
}

/// <summary>The tree-structured Parzen estimator, <see cref="Trials"/> candidates (default 100).</summary>
public sealed record TpeMethod : OptimizationMethod
{
    /// <summary>Creates the options.</summary>
    public TpeMethod(int trials = 100, int? startupTrials = null, int? candidates = null, bool? multivariate = null, double? localFraction = null,
        double? logScaleRatio = null, double? lateLocalFraction = null, int? lateAfter = null, double? secondBasinFraction = null)
    {
        Trials = trials;
        StartupTrials = startupTrials;
        Candidates = candidates;
        Multivariate = multivariate;
        LocalFraction = localFraction;
        LogScaleRatio = logScaleRatio;
        LateLocalFraction = lateLocalFraction;
        LateAfter = lateAfter;
        SecondBasinFraction = secondBasinFraction;
    }

    /// <summary>Number of candidates evaluated (the trial budget).</summary>
    public int Trials { get; init; }

    /// <summary>Uniform random trials before the estimators take over; null uses the server default (10).</summary>
    public int? StartupTrials { get; init; }

    /// <summary>Draws scored per proposal; null uses the server default (24).</summary>
    public int? Candidates { get; init; }

    /// <summary>Joint (true) or per-parameter estimators; null uses the server default (joint).</summary>
    public bool? Multivariate { get; init; }

    /// <summary>Share of proposals that search the neighbourhood of the best trial so far, in [0, 0.9]; null uses the
    /// server default (0).</summary>
    public double? LocalFraction { get; init; }

    /// <summary>Int ranges whose high is at least this many times their low are searched on a log scale, 0 (none) or in
    /// [2, 1e6]; null uses the server default (0).</summary>
    public double? LogScaleRatio { get; init; }

    /// <summary>Share of local proposals once <see cref="LateAfter"/> trials have completed, in place of
    /// <see cref="LocalFraction"/>, in [0, 0.9]; null uses the server default (0, keep <see cref="LocalFraction"/>).</summary>
    public double? LateLocalFraction { get; init; }

    /// <summary>Completed trials after which <see cref="LateLocalFraction"/> applies, in [1, 1e6]; null uses the server
    /// default (50).</summary>
    public int? LateAfter { get; init; }

    /// <summary>Share of local proposals centred on the best good trial at least half a parameter's range from the best
    /// trial (a second basin), in [0, 1]; null uses the server default (0).</summary>
    public double? SecondBasinFraction { get; init; }

    internal override long? Budget(long? gridSize) => Trials;

    internal override long MaxTrials => Trials > 0 ? Trials : throw new ArgumentOutOfRangeException(nameof(Trials), Trials, "Must be > 0.");

    private protected override SearchMethod Settings() =>
        new TpeSearch
        {
            StartupTrials = StartupTrials, Candidates = Candidates, Multivariate = Multivariate, LocalFraction = LocalFraction, LogScaleRatio = LogScaleRatio,
            LateLocalFraction = LateLocalFraction, LateAfter = LateAfter, SecondBasinFraction = SecondBasinFraction,
        };
}

/// <summary>The server chooses the method from the space and <see cref="Trials"/> (default 100): grid when the whole
/// grid fits, Bayesian for small mostly-continuous spaces and budgets up to 500, TPE otherwise.</summary>
public sealed record AutoMethod : OptimizationMethod
{
    /// <summary>Creates the options.</summary>
    public AutoMethod(int trials = 100)
    {
        Trials = trials;
    }

    /// <summary>Number of candidates evaluated at most (the trial budget).</summary>
    public int Trials { get; init; }

    internal override long? Budget(long? gridSize) => gridSize is { } g ? Math.Min(g, Trials) : Trials;

    internal override long MaxTrials => Trials > 0 ? Trials : throw new ArgumentOutOfRangeException(nameof(Trials), Trials, "Must be > 0.");

    private protected override SearchMethod Settings() => new AutoSearch();
}

/// <summary>Particle swarm optimisation.</summary>
public sealed record ParticleSwarmMethod : OptimizationMethod
{
    /// <summary>Creates the options.</summary>
    public ParticleSwarmMethod(int? swarmSize = null, int? iterations = null, double? inertia = null, double? cognitive = null, double? social = null)
    {
        SwarmSize = swarmSize;
        Iterations = iterations;
        Inertia = inertia;
        Cognitive = cognitive;
        Social = social;
    }

    /// <summary>Particles in the swarm; null uses the server default.</summary>
    public int? SwarmSize { get; init; }

    /// <summary>Swarm updates; null uses the server default.</summary>
    public int? Iterations { get; init; }

    /// <summary>Velocity inertia weight; null uses the server default.</summary>
    public double? Inertia { get; init; }

    /// <summary>Pull towards a particle's own best; null uses the server default.</summary>
    public double? Cognitive { get; init; }

    /// <summary>Pull towards the swarm's best; null uses the server default.</summary>
    public double? Social { get; init; }

    internal override long? Budget(long? gridSize) => SwarmSize is { } n && Iterations is { } i ? (long)n * i : null;

    private protected override SearchMethod Settings() => new ParticleSwarmSearch
    {
        SwarmSize = SwarmSize, Iterations = Iterations, Inertia = Inertia, Cognitive = Cognitive, Social = Social,
    };
}
