using OptimizerGrpc.Client;
using OptimizerGrpc.Trading;

namespace OptimizerGrpc.Optimization;

/// <summary>
/// The spec's <c>OptimizationManager</c>: a registry of named targets, methods, metrics, sequences and constraints,
/// and <see cref="RunOptimizationAsync"/>, which turns a selection of them into a server study, serves it with a
/// local worker that applies each trial to the targets and backtests with the toolkit (the server computes the
/// metrics from the backtest record), and returns the best parameters per target. After a run every searched
/// target holds its best parameters.
/// </summary>
public sealed class OptimizationManager
{
    private readonly OptimizerClient _client;
    private readonly Dictionary<string, IOptimizationTarget> _targets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OptimizationMethod> _methods = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OptimizationMetric> _metrics = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OptimizationSequence> _sequences = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OptimizationConstraint> _constraints = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OptimizationResult> _results = new(StringComparer.Ordinal);
    private readonly RegimeParameterBook _regimeParameters = new();

    /// <summary>Creates a manager that runs its studies through <paramref name="client"/>.</summary>
    public OptimizationManager(OptimizerClient client) => _client = client ?? throw new ArgumentNullException(nameof(client));

    /// <summary>A run's study was created.</summary>
    public event EventHandler<OptimizationStartedEventArgs>? OptimizationStarted;

    /// <summary>A stage of a run's study started (a regime's or a window's search, a target's stage of a sequence).</summary>
    public event EventHandler<StageStartedEventArgs>? StageStarted;

    /// <summary>A trial finished.</summary>
    public event EventHandler<TrialCompletedEventArgs>? TrialCompleted;

    /// <summary>A stage found a new best trial.</summary>
    public event EventHandler<NewBestEventArgs>? NewBest;

    /// <summary>A run finished.</summary>
    public event EventHandler<OptimizationCompletedEventArgs>? OptimizationCompleted;

    /// <summary>
    /// Raised before a run for each thing it will do differently from what the registered components say (a target's
    /// current value outside its parameter's domain: the middle of the domain is used). Also in <see cref="OptimizationResult.Warnings"/>.
    /// </summary>
    public event EventHandler<OptimizationWarningEventArgs>? Warning;

    /// <summary>Registered targets, in registration order.</summary>
    public IReadOnlyDictionary<string, IOptimizationTarget> Targets => _targets;

    /// <summary>Registered methods.</summary>
    public IReadOnlyDictionary<string, OptimizationMethod> Methods => _methods;

    /// <summary>Registered metrics.</summary>
    public IReadOnlyDictionary<string, OptimizationMetric> Metrics => _metrics;

    /// <summary>Registered sequences.</summary>
    public IReadOnlyDictionary<string, OptimizationSequence> Sequences => _sequences;

    /// <summary>Registered constraints.</summary>
    public IReadOnlyDictionary<string, OptimizationConstraint> Constraints => _constraints;

    /// <summary>Results of past runs by key "sequence_target,target_resultKey".</summary>
    public IReadOnlyDictionary<string, OptimizationResult> Results => _results;

    /// <summary>Registers a target under a name (letters, digits and '_').</summary>
    public OptimizationManager RegisterTarget(string name, IOptimizationTarget target) => Register(_targets, name, target, identifier: true);

    /// <summary>Registers a method.</summary>
    public OptimizationManager RegisterMethod(string name, OptimizationMethod method) => Register(_methods, name, method);

    /// <summary>Registers a metric.</summary>
    public OptimizationManager RegisterMetric(string name, OptimizationMetric metric) => Register(_metrics, name, metric);

    /// <summary>Registers a sequence.</summary>
    public OptimizationManager RegisterSequence(string name, OptimizationSequence sequence) => Register(_sequences, name, sequence);

    /// <summary>Registers a constraint.</summary>
    public OptimizationManager RegisterConstraint(string name, OptimizationConstraint constraint) => Register(_constraints, name, constraint);

    /// <summary>A stored result, or null.</summary>
    public OptimizationResult? GetResult(string key) => _results.GetValueOrDefault(key);

    /// <summary>
    /// Runs a sequence over <paramref name="targets"/> on <paramref name="data"/>. Targets without an entry in
    /// <paramref name="methods"/> or <paramref name="metrics"/> use the first registered one. Throws
    /// <see cref="ArgumentException"/> for unknown names and <see cref="SequenceNotSupportedException"/> when the server
    /// does not implement the sequence.
    /// </summary>
    public async Task<OptimizationResult> RunOptimizationAsync(
        string sequenceName, IReadOnlyList<string> targets, PriceSeries data,
        IReadOnlyDictionary<string, string>? methods = null, IReadOnlyDictionary<string, string>? metrics = null,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? constraints = null, RunOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new RunOptions();
        var request = Resolve(sequenceName, targets, methods, metrics, constraints, options);
        var sequence = _sequences[sequenceName];
        if (options.RegimeDetectorTarget is { } detectorName)
        {
            Require(_targets, detectorName, "optimization target");
            sequence = sequence is RegimeSpecificOptimization regime
                ? regime with { RegimeDetectorTarget = detectorName }
                : throw new ArgumentException($"a regime detector target is only used by a regime-specific sequence, not '{sequenceName}'.", nameof(options));
        }

        var (study, budget) = StudyPlanner.Plan(request, _targets, _methods, _metrics, _constraints, sequence, data);
        var warnings = DefaultCheck.Warnings(request.Targets, _targets);
        foreach (var warning in warnings)
        {
            Warning?.Invoke(this, new OptimizationWarningEventArgs(warning));
        }

        if (options.Workers < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Workers, "RunOptions.Workers must be at least 1.");
        }

        // Checked before the run: the server would refuse bad settings only once every trial is done.
        options.AnalysisSettings?.Validate();

        Func<TrialInfo, TrialOutcome> evaluate = _targets[request.Targets[0]] is RegimeDetectorTarget detector
            ? new DetectorEvaluator(request.Targets[0], detector, (RegimeClassificationAccuracyMetric)_metrics[request.Metrics[request.Targets[0]]], data).Evaluate
            : new StrategyEvaluator(_targets, request.Targets, data, options.Commission, _regimeParameters).Evaluate;
        var result = (await new OptimizationRun(_client, this)
            .ExecuteAsync(request, study, budget, evaluate, options, cancellationToken).ConfigureAwait(false)) with { Warnings = warnings };

        // Winners are applied to the registered targets, so that later runs start from them (the spec's multi-stage
        // workflow); a regime-specific run's winners are kept per regime for later regime-specific runs.
        foreach (var (name, target) in result.TargetResults)
        {
            if (_targets.TryGetValue(name, out var registered) && target.BestParams.Count > 0)
            {
                registered.SetParameters(target.BestParams);
            }
        }

        _regimeParameters.Record(result);

        _results[$"{sequenceName}_{string.Join(',', request.Targets)}_{options.ResultKey}"] = result;
        OptimizationCompleted?.Invoke(this, new OptimizationCompletedEventArgs(result));
        return result;
    }

    /// <summary>
    /// The analysis of a study on the server, e.g. a past run's (<see cref="OptimizationResult.StudyId"/>), with its
    /// parameters in the spec's names as in <see cref="OptimizationResult.Analysis"/>. An unknown study is an
    /// <see cref="Grpc.Core.RpcException"/> with NOT_FOUND.
    /// </summary>
    public async Task<StudyAnalysisInfo> AnalyzeStudyAsync(string studyId, AnalysisSettings? settings = null, CancellationToken cancellationToken = default) =>
        AnalysisNames.ToSpecNames(await _client.AnalyzeStudyAsync(studyId, settings, cancellationToken).ConfigureAwait(false));

    internal void RaiseStarted(OptimizationStartedEventArgs e) => OptimizationStarted?.Invoke(this, e);

    internal void RaiseStageStarted(StageStartedEventArgs e) => StageStarted?.Invoke(this, e);

    internal void RaiseTrialCompleted(TrialCompletedEventArgs e) => TrialCompleted?.Invoke(this, e);

    internal void RaiseNewBest(NewBestEventArgs e) => NewBest?.Invoke(this, e);

    private RunRequest Resolve(
        string sequenceName, IReadOnlyList<string> targets, IReadOnlyDictionary<string, string>? methods,
        IReadOnlyDictionary<string, string>? metrics, IReadOnlyDictionary<string, IReadOnlyList<string>>? constraints, RunOptions options)
    {
        Require(_sequences, sequenceName, "optimization sequence");
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Count == 0 || targets.Distinct(StringComparer.Ordinal).Count() != targets.Count)
        {
            throw new ArgumentException("Give at least one target, each once.", nameof(targets));
        }

        if (_methods.Count == 0 || _metrics.Count == 0)
        {
            throw new InvalidOperationException("Register at least one method and one metric before running.");
        }

        var methodOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var metricOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var target in targets)
        {
            Require(_targets, target, "optimization target");
            methodOf[target] = methods?.GetValueOrDefault(target) ?? _methods.Keys.First();
            metricOf[target] = metrics?.GetValueOrDefault(target) ?? _metrics.Keys.First();
            Require(_methods, methodOf[target], "optimization method");
            Require(_metrics, metricOf[target], "optimization metric");
        }

        foreach (var name in (constraints ?? new Dictionary<string, IReadOnlyList<string>>()).Values.SelectMany(c => c))
        {
            Require(_constraints, name, "constraint");
        }

        return new RunRequest(sequenceName, targets, methodOf, metricOf,
            constraints ?? new Dictionary<string, IReadOnlyList<string>>(),
            options.DisplayName ?? $"{sequenceName}: {string.Join(", ", targets)}");
    }

    private static void Require<T>(Dictionary<string, T> registry, string name, string what)
    {
        if (!registry.ContainsKey(name ?? string.Empty))
        {
            throw new ArgumentException($"Unknown {what}: '{name}'; registered: {string.Join(", ", registry.Keys)}.");
        }
    }

    private OptimizationManager Register<T>(Dictionary<string, T> registry, string name, T value, bool identifier = false)
        where T : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        if (identifier && (!Names.IsIdentifier(name) || name.Contains("__", StringComparison.Ordinal)))
        {
            throw new ArgumentException($"Target name '{name}' must use letters, digits and single '_', not starting with a digit.", nameof(name));
        }

        registry[name] = value;
        return this;
    }
}
