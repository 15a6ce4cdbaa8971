namespace OptimizerGrpc.Client;

/// <summary>
/// A search method and its settings. Settings left null take the server's documented defaults; the server checks
/// the ranges when the study is created (INVALID_ARGUMENT naming the field).
/// </summary>
public abstract record SearchMethod
{
    private protected SearchMethod()
    {
    }

    /// <summary>Makes the search deterministic; null lets the server draw a seed (stored with the study).</summary>
    public ulong? Seed { get; init; }

    /// <summary>Evaluates an assignment again instead of reusing its stored result. Default false.</summary>
    public bool AllowRepeats { get; init; }
}

/// <summary>Exhaustive grid search, enumerated lazily.</summary>
public sealed record GridSearch : SearchMethod
{
    /// <summary>Grid size of a float range without step; null uses the server default (10).</summary>
    public int? FloatPoints { get; init; }

    /// <summary>Visits the grid in a seeded pseudo-random order instead of lexicographic order. Default false.</summary>
    public bool Shuffle { get; init; }

    /// <summary>The spec's verbose flag; it only affects client-side logging. Default false.</summary>
    public bool Verbose { get; init; }
}

/// <summary>Uniform random search (the baseline).</summary>
public sealed record RandomSearch : SearchMethod;

/// <summary>Genetic algorithm (tournament selection, crossover, mutation, elitism).</summary>
public sealed record GeneticSearch : SearchMethod
{
    /// <summary>Individuals per generation, &gt; 0.</summary>
    public int? PopulationSize { get; init; }

    /// <summary>Number of generations, &gt; 0.</summary>
    public int? Generations { get; init; }

    /// <summary>Probability of mutating a gene, in [0, 1].</summary>
    public double? MutationRate { get; init; }

    /// <summary>Probability of crossing two parents, in [0, 1].</summary>
    public double? CrossoverRate { get; init; }

    /// <summary>Best individuals copied unchanged to the next generation, &gt;= 0.</summary>
    public int? EliteCount { get; init; }

    /// <summary>Individuals per selection tournament, &gt; 0.</summary>
    public int? TournamentSize { get; init; }
}

/// <summary>Gaussian-process Bayesian optimisation.</summary>
public sealed record BayesianSearch : SearchMethod
{
    /// <summary>Random trials before the Gaussian process is fitted, &gt; 0.</summary>
    public int? InitialTrials { get; init; }

    /// <summary>The acquisition function. Default: the server's (log expected improvement).</summary>
    public AcquisitionFunction Acquisition { get; init; }

    /// <summary>Exploration weight of the upper confidence bound, used as sqrt(beta) * sigma (server default 2.0).</summary>
    public double? UcbBeta { get; init; }

    /// <summary>Fit a Yeo-Johnson transform to the scores at every ask and model the transformed scores (HEBO); helps
    /// heavy-tailed objectives (server default false).</summary>
    public bool? OutputWarping { get; init; }
}

/// <summary>The tree-structured Parzen estimator (Bergstra et al. 2011; multivariate by default, Falkner et al. 2018).</summary>
public sealed record TpeSearch : SearchMethod
{
    /// <summary>Uniform random trials before the estimators take over, &gt; 0 (server default 10).</summary>
    public int? StartupTrials { get; init; }

    /// <summary>Draws from the good density scored per proposal, &gt; 0 (server default 24).</summary>
    public int? Candidates { get; init; }

    /// <summary>Model the parameters jointly (server default true) or one by one.</summary>
    public bool? Multivariate { get; init; }

    /// <summary>Weight of the prior kernel, in [0, 100] (server default 1.0).</summary>
    public double? PriorWeight { get; init; }

    /// <summary>Share of proposals that search the neighbourhood of the best trial so far, in [0, 0.9] (server default 0;
    /// auto uses 0.35).</summary>
    public double? LocalFraction { get; init; }

    /// <summary>Search every int range whose high is at least this many times its low on a log scale, start-up draws
    /// included; 0 for none (server default) or in [2, 1e6] (auto uses 10).</summary>
    public double? LogScaleRatio { get; init; }

    /// <summary>Share of local proposals once <see cref="LateAfter"/> trials have completed, in place of
    /// <see cref="LocalFraction"/>; 0 keeps <see cref="LocalFraction"/> (server default) or in [0, 0.9] (auto uses 0.8).</summary>
    public double? LateLocalFraction { get; init; }

    /// <summary>Completed trials after which <see cref="LateLocalFraction"/> applies, in [1, 1e6] (server default 50).</summary>
    public int? LateAfter { get; init; }

    /// <summary>Share of local proposals centred, instead of on the best trial, on the best good trial at least half a
    /// parameter's range from it (a second basin), in [0, 1] (server default 0; auto uses 0.25).</summary>
    public double? SecondBasinFraction { get; init; }
}

/// <summary>Lets the server choose the method from the space and the budget (what a study that names no method gets):
/// grid when the whole grid fits the budget, Bayesian for small mostly-continuous spaces and budgets up to 500, TPE
/// otherwise.</summary>
public sealed record AutoSearch : SearchMethod;

/// <summary>Particle swarm optimisation.</summary>
public sealed record ParticleSwarmSearch : SearchMethod
{
    /// <summary>Particles in the swarm, &gt; 0.</summary>
    public int? SwarmSize { get; init; }

    /// <summary>Swarm updates, &gt; 0.</summary>
    public int? Iterations { get; init; }

    /// <summary>Velocity inertia weight.</summary>
    public double? Inertia { get; init; }

    /// <summary>Pull towards a particle's own best.</summary>
    public double? Cognitive { get; init; }

    /// <summary>Pull towards the swarm's best.</summary>
    public double? Social { get; init; }

    /// <summary>Largest velocity per dimension as a fraction of the parameter's range (server default 0.2).</summary>
    public double? MaxVelocityFraction { get; init; }
}

/// <summary>NSGA-II for several objectives.</summary>
public sealed record Nsga2Search : SearchMethod
{
    /// <summary>Individuals per generation, &gt; 0.</summary>
    public int? PopulationSize { get; init; }

    /// <summary>Number of generations, &gt; 0.</summary>
    public int? Generations { get; init; }

    /// <summary>Probability of mutating a gene, in [0, 1].</summary>
    public double? MutationRate { get; init; }

    /// <summary>Probability of crossing two parents, in [0, 1].</summary>
    public double? CrossoverRate { get; init; }
}
