using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OptimizerGrpc.Trading;

namespace OptimizerGrpc.Optimization.Tests.Configuration;

public sealed class ConfigurationTests
{
    [Fact]
    public void Load_RuleParametersGridSample_RegistersTheSpecComponents()
    {
        var config = OptimizationConfig.Load(Repository.File("samples", "configs", "rule_parameters_grid.yaml"));

        var target = Assert.IsType<RuleParametersTarget>(Assert.Single(config.Targets).Value);
        Assert.Equal(["ma_crossover_rule", "ma_filter_rule"], target.Rules.Select(r => r.Name));
        Assert.All(target.Rules, r => Assert.IsType<MovingAverageCrossoverRule>(r.Rule));
        var space = target.GetParameterSpace();
        Assert.Equal(10, space["ma_crossover_rule.fast_window"].GridSize);
        Assert.Equal([100.0, 200.0], space["ma_filter_rule.slow_window"].Values);
        Assert.Equal(new GridSearchMethod(verbose: true), Assert.Single(config.Methods).Value);
        Assert.Equal(new SharpeRatioMetric(0.0, 252), Assert.Single(config.Metrics).Value);
        Assert.IsType<SequentialOptimization>(Assert.Single(config.Sequences).Value);
        Assert.Equal("sequential", config.Run.Sequence);
        Assert.Equal(["ma_rule_params"], config.Run.Targets);
        Assert.Equal("grid_search", config.Run.Methods["ma_rule_params"]);
    }

    [Fact]
    public void Load_RuleWeightsByRegimeSample_SharesRulesAndReadsTheRunSection()
    {
        var config = OptimizationConfig.Load(Repository.File("samples", "configs", "rule_weights_genetic_by_regime.yaml"));

        var weights = Assert.IsType<RuleWeightsTarget>(config.Targets[0].Value);
        Assert.Equal(["ma_crossover_rule", "rsi_rule", "bollinger_rule"], weights.Rules.Select(r => r.Name));
        Assert.Equal(11, weights.GetParameterSpace()["rsi_rule.weight"].GridSize);
        Assert.IsType<RegimeDetectorTarget>(config.Targets[1].Value);
        Assert.Equal(new GeneticMethod(50, 50, 0.1, 0.7) { Seed = 7 }, config.Methods[0].Value);
        Assert.IsType<TotalReturnMetric>(config.Metrics[1].Value);
        Assert.Equal(new RegimeSpecificOptimization(100), config.Sequences[0].Value);
        Assert.Equal("regime_detector", config.Run.RegimeDetectorTarget);
        Assert.Equal("genetic", config.Run.Methods["rule_weights"]);
    }

    [Theory]
    [InlineData("optimization:\n  methods:\n    g:\n      class: GeneticMethod\n      parameters:\n        population_size: many\n",
        "optimization.methods.g.parameters.population_size", 6)]
    [InlineData("optimization:\n  targets:\n    t:\n      class: NoSuchTarget\n", "optimization.targets.t.class", 4)]
    [InlineData("optimization:\n  methods:\n    g:\n      class: GridSearchMethod\n      parameters:\n        verbsoe: true\n",
        "optimization.methods.g.parameters.verbsoe", 6)]
    [InlineData("optimization:\n  targets:\n    t:\n      class: RuleParametersTarget\n      parameters:\n        rules: [no_such_rule]\n",
        "optimization.targets.t.parameters.rules[0]", 6)]
    [InlineData("optimization:\n  targets:\n    t:\n      class: RuleParametersTarget\n      parameters:\n        rules: [rsi_rule]\n        parameter_space:\n          rsi_rule.period: {low: 5, high: 2}\n",
        "optimization.targets.t.parameters.parameter_space.rsi_rule.period", 8)]
    [InlineData("optimization:\n  metrics: [sharpe\n", "(yaml)", 3)]
    [InlineData("optimization:\n  targets:\n    t:\n      class: RegimeDetectorTarget\n      parameters:\n        detector: {class: VolumeRegimeDetector}\n",
        "optimization.targets.t.parameters.detector.class", 6)]
    [InlineData("optimization:\n  targets:\n    t:\n      class: RegimeDetectorTarget\n      parameters:\n        detector: chop_regime_detector\n",
        "optimization.targets.t.parameters.detector", 6)]
    [InlineData("optimization:\n  targets:\n    t:\n      class: RegimeDetectorTarget\n      parameters:\n        detector:\n          class: VolatilityRegimeDetector\n          parameters:\n            lookbak: 30\n",
        "optimization.targets.t.parameters.detector.parameters.lookbak", 9)]
    [InlineData("optimization:\n  targets:\n    t:\n      class: RegimeDetectorTarget\n      parameters:\n        detector:\n          class: VolatilityRegimeDetector\n          parameters:\n            threshold: 0\n",
        "optimization.targets.t.parameters.detector", 7)]
    public void Parse_InvalidFile_NamesKeyPathAndLine(string yaml, string keyPath, int line)
    {
        var error = Assert.Throws<OptimizationConfigException>(() => OptimizationConfig.Parse(new StringReader(yaml), "bad.yaml"));

        Assert.Equal(keyPath, error.KeyPath);
        Assert.Equal(line, error.Line);
        Assert.StartsWith($"bad.yaml:{line}:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SearchMethodSettings_ReachTheMethodOptions()
    {
        const string yaml = """
            optimization:
              targets: {ma: {class: RuleParametersTarget, parameters: {rules: [ma_crossover_rule]}}}
              methods:
                gp: {class: BayesianMethod, parameters: {n_trials: 40, n_initial: 8, output_warping: true}}
                tpe: {class: TpeMethod, parameters: {n_trials: 60, multivariate: false, local_fraction: 0.35}}
                tpe_log: {class: TpeMethod, parameters: {n_trials: 60, log_scale_ratio: 10}}
                tpe_late: {class: TpeMethod, parameters: {n_trials: 60, local_fraction: 0.35, late_local_fraction: 0.8, late_after: 15}}
                tpe_second: {class: TpeMethod, parameters: {n_trials: 60, local_fraction: 0.35, second_basin_fraction: 0.25}}
              metrics: {sharpe: {class: SharpeRatioMetric}}
              sequences: {single: {class: SingleOptimization}}
              run: {sequence: single, targets: [ma]}
            """;

        var config = OptimizationConfig.Parse(new StringReader(yaml), "methods.yaml");

        Assert.Equal(new BayesianMethod(40, 8, outputWarping: true), config.Methods[0].Value);
        Assert.Equal(new TpeMethod(60, multivariate: false, localFraction: 0.35), config.Methods[1].Value);
        Assert.Equal(new TpeMethod(60, logScaleRatio: 10), config.Methods[2].Value);
        Assert.Equal(10, Assert.IsType<OptimizerGrpc.Client.TpeSearch>(config.Methods[2].Value.ToSearchMethod()).LogScaleRatio);
        Assert.Equal(new TpeMethod(60, localFraction: 0.35, lateLocalFraction: 0.8, lateAfter: 15), config.Methods[3].Value);
        var late = Assert.IsType<OptimizerGrpc.Client.TpeSearch>(config.Methods[3].Value.ToSearchMethod());
        Assert.Equal(0.8, late.LateLocalFraction);
        Assert.Equal(15, late.LateAfter);
        Assert.Equal(new TpeMethod(60, localFraction: 0.35, secondBasinFraction: 0.25), config.Methods[4].Value);
        Assert.Equal(0.25, Assert.IsType<OptimizerGrpc.Client.TpeSearch>(config.Methods[4].Value.ToSearchMethod()).SecondBasinFraction);
    }

    [Fact]
    public void Parse_DetectorKinds_BuildsTheNamedDetectorWithItsParameters()
    {
        const string yaml = """
            optimization:
              targets:
                vol:
                  class: RegimeDetectorTarget
                  parameters:
                    detector:
                      class: VolatilityRegimeDetector
                      parameters: {lookback: 30, threshold: 0.2, annualization_factor: 52}
                vol_default:
                  class: RegimeDetectorTarget
                  parameters:
                    detector: volatility_regime_detector
                trend:
                  class: RegimeDetectorTarget
                  parameters:
                    detector: {class: TrendRegimeDetector, parameters: {lookback: 100}}
              methods: {grid: {class: GridSearchMethod}}
              metrics: {accuracy: {class: RegimeClassificationAccuracyMetric}}
              sequences: {single: {class: SingleOptimization}}
              run: {sequence: single, targets: [trend]}
            """;

        var config = OptimizationConfig.Parse(new StringReader(yaml), "detectors.yaml");

        var vol = Assert.IsType<VolatilityRegimeDetector>(Assert.IsType<RegimeDetectorTarget>(config.Targets[0].Value).Detector);
        Assert.Equal((30, 0.2, 52.0), (vol.LookbackBars, vol.ThresholdVolatility, vol.AnnualizationFactor));
        var byName = Assert.IsType<VolatilityRegimeDetector>(Assert.IsType<RegimeDetectorTarget>(config.Targets[1].Value).Detector);
        Assert.Equal((20, 0.15, 252.0), (byName.LookbackBars, byName.ThresholdVolatility, byName.AnnualizationFactor));
        var trend = Assert.IsType<TrendRegimeDetector>(Assert.IsType<RegimeDetectorTarget>(config.Targets[2].Value).Detector);
        Assert.Equal((100, 0.02), (trend.LookbackBars, trend.ThresholdFraction));
    }

    [Fact]
    public void AddOptimization_FromConfiguration_RegistersTheManager()
    {
        var settings = new Dictionary<string, string?>
        {
            ["optimization:targets:ma:class"] = "RuleParametersTarget",
            ["optimization:targets:ma:parameters:rules:0"] = "ma_crossover_rule",
            ["optimization:methods:grid:class"] = "GridSearchMethod",
            ["optimization:metrics:sharpe:class"] = "SharpeRatioMetric",
            ["optimization:metrics:sharpe:parameters:annualization_factor"] = "252",
            ["optimization:sequences:single:class"] = "SingleOptimization",
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection()
            .AddOptimizerClient("http://127.0.0.1:1")
            .AddOptimization(configuration)
            .BuildServiceProvider();

        var manager = provider.GetRequiredService<OptimizationManager>();

        Assert.IsType<RuleParametersTarget>(manager.Targets["ma"]);
        Assert.Equal(new SharpeRatioMetric(0, 252), manager.Metrics["sharpe"]);
        Assert.Equal("single", provider.GetRequiredService<OptimizationConfig>().Run.Sequence);
    }
}
