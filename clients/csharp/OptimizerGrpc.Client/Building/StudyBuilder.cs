using Google.Protobuf.WellKnownTypes;
using OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Client;

/// <summary>
/// Fluent construction of a <see cref="StudySpec"/>: targets and their parameters, objectives, the search method,
/// budgets, constraints and data. Arguments are checked as they are given; <see cref="Build"/> returns a copy.
/// For anything not covered, use <see cref="Configure"/> or pass a raw <see cref="StudySpec"/> to the client.
/// </summary>
public sealed class StudyBuilder
{
    private readonly StudySpec _spec;

    /// <summary>Starts a spec with a display name.</summary>
    public StudyBuilder(string displayName) => _spec = new StudySpec { DisplayName = displayName ?? string.Empty };

    /// <summary>Adds a target (a named group of parameters).</summary>
    public StudyBuilder Target(string name, Action<TargetBuilder> configure, TargetKind kind = TargetKind.Custom, string? description = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        if (name.Contains('.', StringComparison.Ordinal) || _spec.Targets.Any(t => t.Name == name))
        {
            throw new ArgumentException($"Target '{name}' must be unique and contain no '.'.", nameof(name));
        }

        var target = new Target { Name = name, Kind = kind, Description = description ?? string.Empty };
        configure(new TargetBuilder(target));
        if (target.Parameters.Count == 0)
        {
            throw new ArgumentException($"Target '{name}' has no parameters.", nameof(configure));
        }

        _spec.Targets.Add(target);
        return this;
    }

    /// <summary>Adds an objective to maximise.</summary>
    public StudyBuilder Maximize(string metric, double? weight = null) => Objective(metric, Direction.Maximize, weight);

    /// <summary>Adds an objective to minimise.</summary>
    public StudyBuilder Minimize(string metric, double? weight = null) => Objective(metric, Direction.Minimize, weight);

    /// <summary>Exhaustive grid search. <paramref name="floatPoints"/> is the grid size of a float range without step (server default 10).</summary>
    public StudyBuilder GridSearch(int? floatPoints = null, bool shuffle = false)
    {
        var settings = new GridSearchSettings { Shuffle = shuffle };
        if (floatPoints is { } points)
        {
            settings.FloatPoints = Positive(points, nameof(floatPoints));
        }

        Method.Grid = settings;
        return this;
    }

    /// <summary>Uniform random search (the baseline).</summary>
    public StudyBuilder RandomSearch()
    {
        Method.Random = new RandomSearchSettings();
        return this;
    }

    /// <summary>Genetic algorithm; unset settings use the server's defaults.</summary>
    public StudyBuilder Genetic(
        int? populationSize = null, int? generations = null, double? mutationRate = null, double? crossoverRate = null,
        int? eliteCount = null, int? tournamentSize = null)
    {
        var s = new GeneticSettings();
        if (populationSize is { } p) { s.PopulationSize = Positive(p, nameof(populationSize)); }
        if (generations is { } g) { s.Generations = Positive(g, nameof(generations)); }
        if (mutationRate is { } m) { s.MutationRate = Probability(m, nameof(mutationRate)); }
        if (crossoverRate is { } c) { s.CrossoverRate = Probability(c, nameof(crossoverRate)); }
        if (eliteCount is { } e) { s.EliteCount = e >= 0 ? e : throw new ArgumentOutOfRangeException(nameof(eliteCount), e, "Must be >= 0."); }
        if (tournamentSize is { } t) { s.TournamentSize = Positive(t, nameof(tournamentSize)); }
        Method.Genetic = s;
        return this;
    }

    /// <summary>Gaussian-process Bayesian optimisation; unset settings use the server's defaults.</summary>
    public StudyBuilder Bayesian(int? initialTrials = null, Acquisition acquisition = Acquisition.Unspecified, double? ucbBeta = null)
    {
        var s = new BayesianSettings { Acquisition = acquisition };
        if (initialTrials is { } n) { s.NInitial = Positive(n, nameof(initialTrials)); }
        if (ucbBeta is { } b) { s.UcbBeta = b > 0 ? b : throw new ArgumentOutOfRangeException(nameof(ucbBeta), b, "Must be > 0."); }
        Method.Bayesian = s;
        return this;
    }

    /// <summary>Particle swarm optimisation; unset settings use the server's defaults.</summary>
    public StudyBuilder ParticleSwarm(
        int? swarmSize = null, int? iterations = null, double? inertia = null, double? cognitive = null, double? social = null)
    {
        var s = new ParticleSwarmSettings();
        if (swarmSize is { } n) { s.SwarmSize = Positive(n, nameof(swarmSize)); }
        if (iterations is { } i) { s.Iterations = Positive(i, nameof(iterations)); }
        if (inertia is { } w) { s.Inertia = w; }
        if (cognitive is { } c) { s.Cognitive = c; }
        if (social is { } so) { s.Social = so; }
        Method.ParticleSwarm = s;
        return this;
    }

    /// <summary>NSGA-II for several objectives; unset settings use the server's defaults.</summary>
    public StudyBuilder Nsga2(int? populationSize = null, int? generations = null)
    {
        var s = new Nsga2Settings();
        if (populationSize is { } p) { s.PopulationSize = Positive(p, nameof(populationSize)); }
        if (generations is { } g) { s.Generations = Positive(g, nameof(generations)); }
        Method.Nsga2 = s;
        return this;
    }

    /// <summary>Makes the search deterministic.</summary>
    public StudyBuilder Seed(ulong seed)
    {
        Method.Seed = seed;
        return this;
    }

    /// <summary>Trial budget per stage; 0 runs until the method is exhausted (grid).</summary>
    public StudyBuilder MaxTrials(long maxTrials)
    {
        _spec.MaxTrials = maxTrials >= 0 ? maxTrials : throw new ArgumentOutOfRangeException(nameof(maxTrials), maxTrials, "Must be >= 0.");
        return this;
    }

    /// <summary>Retry budget: a trial whose lease expires this many times becomes FAILED (server default 3).</summary>
    public StudyBuilder MaxAttempts(int maxAttempts)
    {
        _spec.MaxAttempts = Positive(maxAttempts, nameof(maxAttempts));
        return this;
    }

    /// <summary>How long a worker may hold a trial without a heartbeat (server default 60 s).</summary>
    public StudyBuilder LeaseDuration(TimeSpan leaseDuration)
    {
        _spec.LeaseDuration = leaseDuration > TimeSpan.Zero
            ? Duration.FromTimeSpan(leaseDuration)
            : throw new ArgumentOutOfRangeException(nameof(leaseDuration), leaseDuration, "Must be > 0.");
        return this;
    }

    /// <summary>A relationship over parameters checked before a trial is issued, e.g. "ma.fast_window &lt; ma.slow_window".</summary>
    public StudyBuilder Relationship(string expression, string? name = null, string? target = null) =>
        Constraint(name, target, c => c.Relationship = new RelationshipConstraint { Expression = Expression(expression) });

    /// <summary>A condition over metrics checked after a trial; failing trials are INFEASIBLE, e.g. "max_drawdown &lt;= 0.25".</summary>
    public StudyBuilder Performance(string expression, string? name = null, string? target = null) =>
        Constraint(name, target, c => c.Performance = new PerformanceConstraint { Expression = Expression(expression) });

    /// <summary>Narrows one parameter ("target.name") to [min, max].</summary>
    public StudyBuilder ParameterBounds(string parameter, double? min = null, double? max = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(parameter);
        var pc = new ParameterConstraint { Parameter = parameter };
        if (min is { } lo) { pc.Min = lo; }
        if (max is { } hi) { pc.Max = hi; }
        return Constraint(null, null, c => c.Parameter = pc);
    }

    /// <summary>Metric settings: annual risk-free rate, periods per year (inferred when null), extra metrics to store.</summary>
    public StudyBuilder Metrics(double riskFreeRate = 0, double? annualizationFactor = null, params string[] extraMetrics)
    {
        MetricSettings.RiskFreeRate = riskFreeRate;
        if (annualizationFactor is { } a)
        {
            MetricSettings.AnnualizationFactor = a > 0 ? a : throw new ArgumentOutOfRangeException(nameof(annualizationFactor), a, "Must be > 0.");
        }

        MetricSettings.ExtraMetrics.AddRange(extraMetrics);
        return this;
    }

    /// <summary>A metric defined by an expression over other metrics, e.g. "sharpe_ratio - 0.5 * max_drawdown".</summary>
    public StudyBuilder CustomMetric(string name, string expression, Direction direction = Direction.Maximize)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        MetricSettings.CustomMetrics.Add(new CustomMetric { Name = name, Expression = Expression(expression), Direction = direction });
        return this;
    }

    /// <summary>Describes the client's data: its length, optional per-bar regime labels, and bar interval.</summary>
    public StudyBuilder Data(
        string name, long barCount, IReadOnlyList<int>? regimeLabels = null, IReadOnlyList<string>? regimeNames = null, TimeSpan? barInterval = null)
    {
        if (barCount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(barCount), barCount, "Must be > 0.");
        }

        if (regimeLabels is not null && regimeLabels.Count != barCount)
        {
            throw new ArgumentException($"regimeLabels has {regimeLabels.Count} entries but barCount is {barCount}.", nameof(regimeLabels));
        }

        var data = new DataDescription { Name = name ?? string.Empty, BarCount = barCount };
        if (regimeLabels is not null) { data.RegimeLabels.AddRange(regimeLabels); }
        if (regimeNames is not null) { data.RegimeNames.AddRange(regimeNames); }
        if (barInterval is { } interval) { data.BarInterval = Duration.FromTimeSpan(interval); }
        _spec.Data = data;
        return this;
    }

    /// <summary>How the study is split into stages (default: one stage over all targets).</summary>
    public StudyBuilder Sequence(SequenceSpec sequence)
    {
        _spec.Sequence = sequence ?? throw new ArgumentNullException(nameof(sequence));
        return this;
    }

    /// <summary>Adds a label to the study.</summary>
    public StudyBuilder Label(string key, string value)
    {
        _spec.Labels[key] = value;
        return this;
    }

    /// <summary>Edits the underlying spec directly, for settings without a builder method.</summary>
    public StudyBuilder Configure(Action<StudySpec> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(_spec);
        return this;
    }

    /// <summary>Returns a copy of the spec; throws when it has no target.</summary>
    public StudySpec Build()
    {
        if (_spec.Targets.Count == 0)
        {
            throw new InvalidOperationException("A study needs at least one target; call Target(...).");
        }

        return _spec.Clone();
    }

    private MethodSpec Method => _spec.Method ??= new MethodSpec();

    private MetricSettings MetricSettings => _spec.MetricSettings ??= new MetricSettings();

    private StudyBuilder Objective(string metric, Direction direction, double? weight)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(metric);
        var objective = new Objective { Metric = metric, Direction = direction };
        if (weight is { } w)
        {
            objective.Weight = w > 0 && double.IsFinite(w) ? w : throw new ArgumentOutOfRangeException(nameof(weight), w, "Must be a finite number > 0.");
        }

        _spec.Objectives.Add(objective);
        return this;
    }

    private StudyBuilder Constraint(string? name, string? target, Action<Constraint> set)
    {
        var constraint = new Constraint { Name = name ?? $"constraint_{_spec.Constraints.Count + 1}", Target = target ?? string.Empty };
        set(constraint);
        _spec.Constraints.Add(constraint);
        return this;
    }

    private static string Expression(string expression)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(expression);
        return expression;
    }

    private static int Positive(int value, string name) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(name, value, "Must be > 0.");

    private static double Probability(double value, string name) =>
        value is >= 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(name, value, "Must be in [0, 1].");
}
