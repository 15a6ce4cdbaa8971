using Microsoft.Extensions.Configuration;

namespace OptimizerGrpc.Optimization;

/// <summary>
/// An <c>optimization_config.yaml</c> (the spec's format): named <c>targets</c>, <c>methods</c>, <c>metrics</c>,
/// <c>sequences</c> and <c>constraints</c>, each a <c>class</c> with <c>parameters</c>, under <c>optimization</c>.
/// Two optional sections extend it: <c>rules</c> (named toolkit rules, beyond the built-in ma_crossover_rule,
/// ma_filter_rule, rsi_rule, bollinger_rule) and <c>run</c> (which sequence, targets, methods, metrics and constraints
/// <c>optimizer run</c> uses). Every problem is an <see cref="OptimizationConfigException"/> naming the key path and line.
/// </summary>
public sealed class OptimizationConfig
{
    private static readonly string[] Sections = ["rules", "targets", "methods", "metrics", "sequences", "constraints", "run"];

    private OptimizationConfig()
    {
    }

    /// <summary>Targets by name, in file order.</summary>
    public IReadOnlyList<KeyValuePair<string, IOptimizationTarget>> Targets { get; private init; } = [];

    /// <summary>Methods by name, in file order.</summary>
    public IReadOnlyList<KeyValuePair<string, OptimizationMethod>> Methods { get; private init; } = [];

    /// <summary>Metrics by name, in file order.</summary>
    public IReadOnlyList<KeyValuePair<string, OptimizationMetric>> Metrics { get; private init; } = [];

    /// <summary>Sequences by name, in file order.</summary>
    public IReadOnlyList<KeyValuePair<string, OptimizationSequence>> Sequences { get; private init; } = [];

    /// <summary>Constraints by name, in file order.</summary>
    public IReadOnlyList<KeyValuePair<string, OptimizationConstraint>> Constraints { get; private init; } = [];

    /// <summary>The run to perform: the <c>run</c> section, or defaults (first sequence, every target but detectors).</summary>
    public RunPlan Run { get; private init; } = null!;

    /// <summary>Loads a YAML file.</summary>
    public static OptimizationConfig Load(string path)
    {
        using var reader = new StreamReader(path);
        return Parse(reader, path);
    }

    /// <summary>Parses YAML text; <paramref name="source"/> names it in errors.</summary>
    public static OptimizationConfig Parse(TextReader reader, string source = "optimization_config.yaml")
    {
        ArgumentNullException.ThrowIfNull(reader);
        return Interpret(ConfigReaders.FromYaml(reader, source));
    }

    /// <summary>Reads the same structure from configuration (its <c>optimization</c> section).</summary>
    public static OptimizationConfig FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Interpret(ConfigReaders.FromConfiguration(configuration, "configuration", ""));
    }

    /// <summary>Registers every component with <paramref name="manager"/>.</summary>
    public OptimizationManager ApplyTo(OptimizationManager manager)
    {
        ArgumentNullException.ThrowIfNull(manager);
        foreach (var (name, target) in Targets) { manager.RegisterTarget(name, target); }
        foreach (var (name, method) in Methods) { manager.RegisterMethod(name, method); }
        foreach (var (name, metric) in Metrics) { manager.RegisterMetric(name, metric); }
        foreach (var (name, sequence) in Sequences) { manager.RegisterSequence(name, sequence); }
        foreach (var (name, constraint) in Constraints) { manager.RegisterConstraint(name, constraint); }
        return manager;
    }

    private static OptimizationConfig Interpret(ConfigNode root)
    {
        var optimization = root.Get("optimization") ?? throw root.Error("the file needs a top-level 'optimization' section");
        foreach (var (key, node) in optimization.AsMap())
        {
            if (!Sections.Contains(key))
            {
                throw node.Error($"unknown section '{key}'; expected {string.Join(", ", Sections)}");
            }
        }

        var scope = new ComponentScope(optimization.Get("rules"));
        var targets = Components(optimization, "targets", ComponentCatalog.Targets, (f, p, _) => f(p, scope));
        var methods = Components(optimization, "methods", ComponentCatalog.Methods, (f, p, _) => f(p));
        var metrics = Components(optimization, "metrics", ComponentCatalog.Metrics, (f, p, name) => f(p, name));
        var sequences = Components(optimization, "sequences", ComponentCatalog.Sequences, (f, p, _) => f(p));
        var constraints = Components(optimization, "constraints", ComponentCatalog.Constraints, (f, p, _) => f(p));
        foreach (var section in new[] { "targets", "methods", "metrics", "sequences" })
        {
            if (optimization.Get(section) is not { } node || node.AsMap().Count == 0)
            {
                throw (optimization.Get(section) ?? optimization).Error($"'{section}' needs at least one entry");
            }
        }

        var run = RunPlan.From(optimization.Get("run"), optimization, targets, methods, metrics, sequences, constraints);
        return new OptimizationConfig
        {
            Targets = targets, Methods = methods, Metrics = metrics, Sequences = sequences, Constraints = constraints, Run = run,
        };
    }

    private static List<KeyValuePair<string, T>> Components<TFactory, T>(
        ConfigNode optimization, string section, IReadOnlyDictionary<string, TFactory> catalog, Func<TFactory, ConfigParameters, string, T> create)
    {
        var result = new List<KeyValuePair<string, T>>();
        foreach (var (name, entry) in optimization.Get(section)?.AsMap() ?? [])
        {
            foreach (var (key, node) in entry.AsMap())
            {
                if (key is not ("class" or "parameters"))
                {
                    throw node.Error($"unknown key '{key}'; an entry has 'class' and 'parameters'");
                }
            }

            var className = entry.Get("class") ?? throw entry.Error("class is required");
            if (!catalog.TryGetValue(className.AsString(), out var factory))
            {
                throw className.Error($"unknown class '{className.Value}'; available: {string.Join(", ", catalog.Keys)}");
            }

            var parameters = new ConfigParameters(entry, entry.Get("parameters"));
            var component = parameters.Create(className.AsString(), () => create(factory, parameters, name));
            result.Add(new(name, component));
        }

        return result;
    }
}
