using OptimizerGrpc.Client;
using OptimizerGrpc.Trading;

namespace OptimizerGrpc.Optimization;

/// <summary>
/// The classes a configuration may name, with the parameters each accepts (the spec's container lookups
/// "target.RuleParametersTarget", "method.GeneticMethod", ...).
/// </summary>
internal static class ComponentCatalog
{
    public static readonly IReadOnlyDictionary<string, Func<ConfigParameters, ComponentScope, IOptimizationTarget>> Targets =
        new Dictionary<string, Func<ConfigParameters, ComponentScope, IOptimizationTarget>>(StringComparer.Ordinal)
        {
            [nameof(RuleParametersTarget)] = (p, scope) =>
            {
                var rules = scope.Rules(p.Required("rules"));
                var space = p.Node("parameter_space") is { } node ? Space(node) : null;
                return p.Create(nameof(RuleParametersTarget), () => new RuleParametersTarget(rules, space));
            },
            [nameof(RuleWeightsTarget)] = (p, scope) =>
            {
                var rules = scope.Rules(p.Required("rules"));
                var range = p.Node("weight_range") is { } r ? Pair(r) : (0.0, 1.0);
                var step = p.Double("weight_step") ?? 0.1;
                return p.Create(nameof(RuleWeightsTarget), () => new RuleWeightsTarget(rules, range.Item1, range.Item2, step));
            },
            [nameof(RegimeDetectorTarget)] = (p, scope) =>
            {
                var detector = scope.Detector(p.Required("detector"));
                var space = p.Node("parameter_space") is { } node ? Space(node) : null;
                return p.Create(nameof(RegimeDetectorTarget), () => new RegimeDetectorTarget(detector, space));
            },
            [nameof(PositionSizingTarget)] = (p, _) =>
            {
                double fraction = p.Double("fraction") ?? 1.0, max = p.Double("max_fraction") ?? 1.0;
                double low = p.Double("min_fraction") ?? 0.1, step = p.Double("fraction_step") ?? 0.1;
                return p.Create(nameof(PositionSizingTarget), () => new PositionSizingTarget(new PositionSizer(fraction, max), low, step));
            },
        };

    public static readonly IReadOnlyDictionary<string, Func<ConfigParameters, OptimizationMethod>> Methods =
        new Dictionary<string, Func<ConfigParameters, OptimizationMethod>>(StringComparer.Ordinal)
        {
            [nameof(GridSearchMethod)] = p => new GridSearchMethod(p.Bool("verbose") ?? false, p.Int("float_points"), p.Bool("shuffle") ?? false) { Seed = p.Seed() },
            [nameof(RandomSearchMethod)] = p => new RandomSearchMethod(p.Int("n_trials") ?? 100) { Seed = p.Seed() },
            [nameof(GeneticMethod)] = p => new GeneticMethod(
                p.Int("population_size"), p.Int("generations"), p.Double("mutation_rate"), p.Double("crossover_rate"),
                p.Int("elite_count"), p.Int("tournament_size")) { Seed = p.Seed() },
            [nameof(BayesianMethod)] = p => new BayesianMethod(p.Int("n_trials") ?? 50, p.Int("n_initial"), Acquisition(p.Node("acquisition")),
                p.Bool("output_warping")) { Seed = p.Seed() },
            [nameof(TpeMethod)] = p => new TpeMethod(p.Int("n_trials") ?? 100, p.Int("n_startup_trials"), p.Int("n_ei_candidates"), p.Bool("multivariate"),
                p.Double("local_fraction"), p.Double("log_scale_ratio"), p.Double("late_local_fraction"), p.Int("late_after"),
                p.Double("second_basin_fraction")) { Seed = p.Seed() },
            [nameof(AutoMethod)] = p => new AutoMethod(p.Int("n_trials") ?? 100) { Seed = p.Seed() },
            [nameof(ParticleSwarmMethod)] = p => new ParticleSwarmMethod(
                p.Int("swarm_size"), p.Int("iterations"), p.Double("inertia"), p.Double("cognitive"), p.Double("social")) { Seed = p.Seed() },
        };

    public static readonly IReadOnlyDictionary<string, Func<ConfigParameters, string, OptimizationMetric>> Metrics =
        new Dictionary<string, Func<ConfigParameters, string, OptimizationMetric>>(StringComparer.Ordinal)
        {
            [nameof(SharpeRatioMetric)] = (p, _) => new SharpeRatioMetric(p.Double("risk_free_rate") ?? 0, Factor(p)),
            [nameof(SortinoRatioMetric)] = (p, _) => new SortinoRatioMetric(p.Double("risk_free_rate") ?? 0, Factor(p)),
            [nameof(CalmarRatioMetric)] = (p, _) => new CalmarRatioMetric(Factor(p)),
            [nameof(TotalReturnMetric)] = (_, _) => new TotalReturnMetric(),
            [nameof(MaxDrawdownMetric)] = (_, _) => new MaxDrawdownMetric(),
            [nameof(WinRateMetric)] = (_, _) => new WinRateMetric(),
            [nameof(ProfitFactorMetric)] = (_, _) => new ProfitFactorMetric(),
            [nameof(RegimeClassificationAccuracyMetric)] = (p, _) => new RegimeClassificationAccuracyMetric(p.Int("horizon_bars") ?? 20, p.Double("band") ?? 0.02),
            [nameof(CustomMetric)] = (p, name) => new CustomMetric(name, p.Required("expression").AsString(), p.Bool("higher_is_better") ?? true),
        };

    public static readonly IReadOnlyDictionary<string, Func<ConfigParameters, OptimizationSequence>> Sequences =
        new Dictionary<string, Func<ConfigParameters, OptimizationSequence>>(StringComparer.Ordinal)
        {
            [nameof(SingleOptimization)] = _ => new SingleOptimization(),
            [nameof(SequentialOptimization)] = _ => new SequentialOptimization(),
            [nameof(ParallelOptimization)] = _ => new ParallelOptimization(),
            [nameof(HierarchicalOptimization)] = _ => new HierarchicalOptimization(),
            [nameof(RegimeSpecificOptimization)] = p => new RegimeSpecificOptimization(p.Int("min_regime_data") ?? 100, p.String("regime_detector_target")),
            [nameof(WalkForwardOptimization)] = p => new WalkForwardOptimization(
                p.Required("in_sample_bars").AsLong(), p.Required("out_of_sample_bars").AsLong(), p.Long("step_bars"), p.Bool("anchored") ?? false),
        };

    public static readonly IReadOnlyDictionary<string, Func<ConfigParameters, OptimizationConstraint>> Constraints =
        new Dictionary<string, Func<ConfigParameters, OptimizationConstraint>>(StringComparer.Ordinal)
        {
            [nameof(RelationshipConstraint)] = p => new RelationshipConstraint(p.Required("expression").AsString()),
            [nameof(PerformanceConstraint)] = p => new PerformanceConstraint(p.Required("expression").AsString()),
            [nameof(ParameterBoundsConstraint)] = p => new ParameterBoundsConstraint(p.Required("parameter").AsString(), p.Double("min"), p.Double("max")),
        };

    // Rules the spec's examples name, mapped to toolkit rules; a "rules" section may define others or override these.
    public static readonly IReadOnlyDictionary<string, Func<ITradingRule>> BuiltInRules = new Dictionary<string, Func<ITradingRule>>(StringComparer.Ordinal)
    {
        ["ma_crossover_rule"] = () => new MovingAverageCrossoverRule(10, 50),
        ["ma_filter_rule"] = () => new MovingAverageCrossoverRule(50, 200), // a slow crossover used as a trend filter
        ["rsi_rule"] = () => new RsiRule(),
        ["bollinger_rule"] = () => new BollingerBandsRule(),
    };

    // Detectors a target's "detector" may name; a {class, parameters} map configures one of DetectorClasses instead.
    public static readonly IReadOnlyDictionary<string, Func<IRegimeDetector>> BuiltInDetectors = new Dictionary<string, Func<IRegimeDetector>>(StringComparer.Ordinal)
    {
        ["trend_regime_detector"] = () => new TrendRegimeDetector(),
        ["volatility_regime_detector"] = () => new VolatilityRegimeDetector(),
    };

    public static readonly IReadOnlyDictionary<string, Func<ConfigParameters, IRegimeDetector>> DetectorClasses =
        new Dictionary<string, Func<ConfigParameters, IRegimeDetector>>(StringComparer.Ordinal)
        {
            [nameof(TrendRegimeDetector)] = p => Configured(new TrendRegimeDetector(), p),
            [nameof(VolatilityRegimeDetector)] = p => Configured(new VolatilityRegimeDetector { AnnualizationFactor = p.Double("annualization_factor") ?? 252 }, p),
        };

    public static readonly IReadOnlyDictionary<string, Func<ConfigParameters, ITradingRule>> RuleClasses =
        new Dictionary<string, Func<ConfigParameters, ITradingRule>>(StringComparer.Ordinal)
        {
            [nameof(MovingAverageCrossoverRule)] = p => new MovingAverageCrossoverRule(
                p.Int(MovingAverageCrossoverRule.FastWindow) ?? 10, p.Int(MovingAverageCrossoverRule.SlowWindow) ?? 50, p.Bool("allow_short") ?? false),
            [nameof(RsiRule)] = p => new RsiRule(
                p.Int(RsiRule.Period) ?? 14, p.Double(RsiRule.Oversold) ?? 30, p.Double(RsiRule.Overbought) ?? 70, p.Bool("allow_short") ?? false),
            [nameof(BollingerBandsRule)] = p => new BollingerBandsRule(
                p.Int(BollingerBandsRule.Window) ?? 20, p.Double(BollingerBandsRule.NumStd) ?? 2.0, p.Bool("allow_short") ?? false),
        };

    // Sets the detector's searched parameters (lookback, threshold) that the configuration gives; SetParameters validates them.
    private static IRegimeDetector Configured(IRegimeDetector detector, ConfigParameters p)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var key in detector.DefaultSpace.Keys)
        {
            if (p.Double(key) is { } value)
            {
                values[key] = value;
            }
        }

        detector.SetParameters(values);
        return detector;
    }

    private static double? Factor(ConfigParameters p) => p.Node("annualization_factor") is { } node ? node.AsDouble() : 252;

    private static AcquisitionFunction Acquisition(ConfigNode? node) => node?.AsString() switch
    {
        null => AcquisitionFunction.Default,
        "log_ei" or "log_expected_improvement" => AcquisitionFunction.LogExpectedImprovement,
        "ei" or "expected_improvement" => AcquisitionFunction.ExpectedImprovement,
        "ucb" or "upper_confidence_bound" => AcquisitionFunction.UpperConfidenceBound,
        var other => throw node!.Error($"unknown acquisition '{other}'; use log_ei, ei or ucb"),
    };

    private static (double, double) Pair(ConfigNode node)
    {
        var items = node.AsList();
        return items.Count == 2 ? (items[0].AsDouble(), items[1].AsDouble()) : throw node.Error($"expected [low, high], got {items.Count} values");
    }

    // parameter_space: { "rule.param": [v1, v2, ...] } or { "rule.param": { low: 5, high: 50, step: 5 } }.
    private static Dictionary<string, ParameterDomain> Space(ConfigNode node)
    {
        var space = new Dictionary<string, ParameterDomain>(StringComparer.Ordinal);
        foreach (var (key, value) in node.AsMap())
        {
            try
            {
                space[key] = value.Kind == ConfigNodeKind.List
                    ? ParameterDomain.List(value.AsList().Select(v => v.AsDouble()))
                    : Range(value);
            }
            catch (ArgumentException e)
            {
                throw value.Error(e.Message);
            }
        }

        return space;
    }

    private static ParameterDomain Range(ConfigNode node)
    {
        var p = new ConfigParameters(node, node);
        var low = p.Required("low");
        var high = p.Required("high");
        var step = p.Node("step");
        var isInteger = new[] { low, high, step }.All(n => n is null || long.TryParse(n.Value, System.Globalization.CultureInfo.InvariantCulture, out _));
        var domain = isInteger
            ? ParameterDomain.Integer(low.AsLong(), high.AsLong(), step?.AsLong() ?? 1)
            : ParameterDomain.Float(low.AsDouble(), high.AsDouble(), step?.AsDouble());
        p.Done("a range (low, high, step)");
        return domain;
    }
}
