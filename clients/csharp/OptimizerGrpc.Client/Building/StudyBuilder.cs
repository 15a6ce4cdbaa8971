using Google.Protobuf.WellKnownTypes;
using OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Client;

/// <summary>
/// Fluent construction of a <see cref="StudyDefinition"/>: targets and their parameters, objectives, the search method,
/// budgets, constraints, data and the sequence of stages. Arguments are checked as they are given; <see cref="Build"/>
/// returns an immutable definition. The builder writes the wire spec directly (it is the edge where client inputs
/// become wire messages), but takes and returns client types only.
/// </summary>
public sealed class StudyBuilder
{
    private readonly StudySpec _spec;

    /// <summary>Starts a spec with a display name.</summary>
    public StudyBuilder(string displayName) => _spec = new StudySpec { DisplayName = displayName ?? string.Empty };

    /// <summary>Adds a target (a named group of parameters).</summary>
    public StudyBuilder Target(
        string name, Action<TargetBuilder> configure, TargetCategory kind = TargetCategory.Custom, string? description = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        if (name.Contains('.', StringComparison.Ordinal) || _spec.Targets.Any(t => t.Name == name))
        {
            throw new ArgumentException($"Target '{name}' must be unique and contain no '.'.", nameof(name));
        }

        var target = new Target { Name = name, Kind = (TargetKind)(int)kind, Description = description ?? string.Empty };
        configure(new TargetBuilder(target));
        if (target.Parameters.Count == 0)
        {
            throw new ArgumentException($"Target '{name}' has no parameters.", nameof(configure));
        }

        _spec.Targets.Add(target);
        return this;
    }

    /// <summary>Adds an objective to maximise.</summary>
    public StudyBuilder Maximize(string metric, double? weight = null) => AddObjective(metric, ObjectiveDirection.Maximize, weight);

    /// <summary>Adds an objective to minimise.</summary>
    public StudyBuilder Minimize(string metric, double? weight = null) => AddObjective(metric, ObjectiveDirection.Minimize, weight);

    /// <summary>Adds an objective; its metric must be named and its weight, when given, finite and &gt; 0.</summary>
    public StudyBuilder Objective(StudyObjective objective)
    {
        ArgumentNullException.ThrowIfNull(objective);
        return AddObjective(objective.Metric, objective.Direction, objective.Weight);
    }

    /// <summary>
    /// Sets the search method and its settings (the last method given wins). The method's <see cref="SearchMethod.Seed"/>,
    /// when set, replaces the one given to <see cref="Seed"/>, and its <see cref="SearchMethod.AllowRepeats"/>, when true,
    /// turns repeats on; otherwise those of the builder stay. Settings are checked by the server.
    /// </summary>
    public StudyBuilder Method(SearchMethod method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var spec = StudySpecMapper.ToProto(method);
        if (_spec.Method is { } current)
        {
            if (!spec.HasSeed && current.HasSeed)
            {
                spec.Seed = current.Seed;
            }

            spec.AllowRepeats |= current.AllowRepeats;
        }

        _spec.Method = spec;
        return this;
    }

    /// <summary>Exhaustive grid search. <paramref name="floatPoints"/> is the grid size of a float range without step (server default 10).</summary>
    public StudyBuilder GridSearch(int? floatPoints = null, bool shuffle = false) =>
        Method(new GridSearch { FloatPoints = Positive(floatPoints, nameof(floatPoints)), Shuffle = shuffle });

    /// <summary>Uniform random search (the baseline).</summary>
    public StudyBuilder RandomSearch() => Method(new RandomSearch());

    /// <summary>Genetic algorithm; unset settings use the server's defaults.</summary>
    public StudyBuilder Genetic(
        int? populationSize = null, int? generations = null, double? mutationRate = null, double? crossoverRate = null,
        int? eliteCount = null, int? tournamentSize = null)
        => Method(new GeneticSearch
        {
            PopulationSize = Positive(populationSize, nameof(populationSize)),
            Generations = Positive(generations, nameof(generations)),
            MutationRate = Probability(mutationRate, nameof(mutationRate)),
            CrossoverRate = Probability(crossoverRate, nameof(crossoverRate)),
            EliteCount = eliteCount is not { } e || e >= 0 ? eliteCount : throw new ArgumentOutOfRangeException(nameof(eliteCount), e, "Must be >= 0."),
            TournamentSize = Positive(tournamentSize, nameof(tournamentSize)),
        });

    /// <summary>Gaussian-process Bayesian optimisation; unset settings use the server's defaults.</summary>
    public StudyBuilder Bayesian(int? initialTrials = null, AcquisitionFunction acquisition = AcquisitionFunction.Default, double? ucbBeta = null,
        bool? outputWarping = null) =>
        Method(new BayesianSearch
        {
            InitialTrials = Positive(initialTrials, nameof(initialTrials)),
            Acquisition = acquisition,
            UcbBeta = ucbBeta is not { } b || b > 0 ? ucbBeta : throw new ArgumentOutOfRangeException(nameof(ucbBeta), b, "Must be > 0."),
            OutputWarping = outputWarping,
        });

    /// <summary>The tree-structured Parzen estimator; unset settings use the server's defaults.</summary>
    public StudyBuilder Tpe(int? startupTrials = null, int? candidates = null, bool? multivariate = null, double? priorWeight = null, double? localFraction = null,
        double? logScaleRatio = null, double? lateLocalFraction = null, int? lateAfter = null, double? secondBasinFraction = null) =>
        Method(new TpeSearch
        {
            StartupTrials = Positive(startupTrials, nameof(startupTrials)),
            Candidates = Positive(candidates, nameof(candidates)),
            Multivariate = multivariate,
            PriorWeight = priorWeight is not { } w || w is >= 0 and <= 100 ? priorWeight : throw new ArgumentOutOfRangeException(nameof(priorWeight), w, "Must be between 0 and 100."),
            LocalFraction = localFraction is not { } f || f is >= 0 and <= 0.9 ? localFraction : throw new ArgumentOutOfRangeException(nameof(localFraction), f, "Must be between 0 and 0.9."),
            LogScaleRatio = logScaleRatio is not { } r || r is 0 or (>= 2 and <= 1e6) ? logScaleRatio : throw new ArgumentOutOfRangeException(nameof(logScaleRatio), r, "Must be 0 or between 2 and 1e6."),
            LateLocalFraction = lateLocalFraction is not { } l || l is >= 0 and <= 0.9 ? lateLocalFraction : throw new ArgumentOutOfRangeException(nameof(lateLocalFraction), l, "Must be between 0 and 0.9."),
            LateAfter = lateAfter is not { } a || a is >= 1 and <= 1_000_000 ? lateAfter : throw new ArgumentOutOfRangeException(nameof(lateAfter), a, "Must be between 1 and 1000000."),
            SecondBasinFraction = secondBasinFraction is not { } s || s is >= 0 and <= 1 ? secondBasinFraction : throw new ArgumentOutOfRangeException(nameof(secondBasinFraction), s, "Must be between 0 and 1."),
        });

    /// <summary>The server chooses the method from the space and the budget; the same as naming no method.</summary>
    public StudyBuilder Auto() => Method(new AutoSearch());

    /// <summary>Particle swarm optimisation; unset settings use the server's defaults.</summary>
    public StudyBuilder ParticleSwarm(
        int? swarmSize = null, int? iterations = null, double? inertia = null, double? cognitive = null, double? social = null)
        => Method(new ParticleSwarmSearch
        {
            SwarmSize = Positive(swarmSize, nameof(swarmSize)),
            Iterations = Positive(iterations, nameof(iterations)),
            Inertia = inertia,
            Cognitive = cognitive,
            Social = social,
        });

    /// <summary>NSGA-II for several objectives; unset settings use the server's defaults.</summary>
    public StudyBuilder Nsga2(int? populationSize = null, int? generations = null) =>
        Method(new Nsga2Search { PopulationSize = Positive(populationSize, nameof(populationSize)), Generations = Positive(generations, nameof(generations)) });

    /// <summary>Makes the search deterministic.</summary>
    public StudyBuilder Seed(ulong seed)
    {
        MethodSpec.Seed = seed;
        return this;
    }

    /// <summary>Evaluates an assignment again instead of reusing its stored result (default: reuse).</summary>
    public StudyBuilder AllowRepeats(bool allow = true)
    {
        MethodSpec.AllowRepeats = allow;
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
    public StudyBuilder ParameterBounds(string parameter, double? min = null, double? max = null, string? name = null, string? target = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(parameter);
        var pc = new ParameterConstraint { Parameter = parameter };
        if (min is { } lo) { pc.Min = lo; }
        if (max is { } hi) { pc.Max = hi; }
        return Constraint(name, target, c => c.Parameter = pc);
    }

    /// <summary>Lets one parameter ("target.name") take only the given values.</summary>
    public StudyBuilder AllowedValues(string parameter, IEnumerable<ParamValue> values, string? name = null, string? target = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(parameter);
        ArgumentNullException.ThrowIfNull(values);
        var pc = new ParameterConstraint { Parameter = parameter, Allowed = { values.Select(ProtoMapper.ToProto) } };
        return pc.Allowed.Count > 0
            ? Constraint(name, target, c => c.Parameter = pc)
            : throw new ArgumentException($"{parameter}: the allowed values must not be empty.", nameof(values));
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
    public StudyBuilder CustomMetric(string name, string expression, ObjectiveDirection direction = ObjectiveDirection.Maximize)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        MetricSettings.CustomMetrics.Add(new CustomMetric { Name = name, Expression = Expression(expression), Direction = (Direction)(int)direction });
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

    /// <summary>
    /// The series' prices for displays (the dashboard's regime view): at most 20,000 values are sent, spread evenly over
    /// the bars (value i is bar floor(i × bar count / values)). Call after <see cref="Data"/>; the search never reads them.
    /// </summary>
    public StudyBuilder Prices(IReadOnlyList<double> prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        var data = _spec.Data ?? throw new InvalidOperationException("Describe the data with Data(...) before its prices.");
        const int MaxPrices = 20_000;
        data.Prices.Clear();
        if (prices.Count <= MaxPrices)
        {
            data.Prices.AddRange(prices);
        }
        else
        {
            data.Prices.AddRange(Enumerable.Range(0, MaxPrices).Select(i => prices[(int)((long)i * prices.Count / MaxPrices)]));
        }

        return this;
    }

    /// <summary>How the study is split into stages (default: one stage over all targets).</summary>
    public StudyBuilder Sequence(StudySequence sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        _spec.Sequence = StudySpecMapper.ToProto(sequence);
        return this;
    }

    /// <summary>Adds a label to the study.</summary>
    public StudyBuilder Label(string key, string value)
    {
        _spec.Labels[key] = value;
        return this;
    }

    /// <summary>Returns the definition built so far (later calls do not change it); throws when it has no target.</summary>
    public StudyDefinition Build()
    {
        if (_spec.Targets.Count == 0)
        {
            throw new InvalidOperationException("A study needs at least one target; call Target(...).");
        }

        return new StudyDefinition(_spec.Clone());
    }

    private MethodSpec MethodSpec => _spec.Method ??= new MethodSpec();

    private MetricSettings MetricSettings => _spec.MetricSettings ??= new MetricSettings();

    private StudyBuilder AddObjective(string metric, ObjectiveDirection direction, double? weight)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(metric);
        if (weight is { } w && !(w > 0 && double.IsFinite(w)))
        {
            throw new ArgumentOutOfRangeException(nameof(weight), w, "Must be a finite number > 0.");
        }

        _spec.Objectives.Add(StudySpecMapper.ToProto(new StudyObjective(metric, direction, weight)));
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

    private static int? Positive(int? value, string name) => value is { } v ? Positive(v, name) : null;

    private static double? Probability(double? value, string name) =>
        value is not { } v || v is >= 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(name, v, "Must be in [0, 1].");
}
