using OptimizerGrpc.Trading;

namespace OptimizerGrpc.Optimization;

/// <summary>
/// The rules and detectors a configuration refers to by name. One name is one instance, shared by every target
/// that names it, so a weights target and a parameters target act on the same rule.
/// </summary>
internal sealed class ComponentScope(ConfigNode? rulesSection)
{
    private readonly Dictionary<string, ITradingRule> _rules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IRegimeDetector> _detectors = new(StringComparer.Ordinal);

    public IReadOnlyList<NamedRule> Rules(ConfigNode list) =>
        [.. list.AsList().Select(item => new NamedRule(item.AsString(), Rule(item)))];

    // detector: a built-in name (shared like a rule), or {class: VolatilityRegimeDetector, parameters: {...}} (its own instance).
    public IRegimeDetector Detector(ConfigNode node)
    {
        if (node.Kind == ConfigNodeKind.Map)
        {
            var className = node.Get("class") ?? throw node.Error("class is required");
            if (!ComponentCatalog.DetectorClasses.TryGetValue(className.AsString(), out var create))
            {
                throw className.Error($"unknown regime detector class '{className.Value}'; available: {string.Join(", ", ComponentCatalog.DetectorClasses.Keys)}");
            }

            if (node.AsMap().FirstOrDefault(e => e.Key is not ("class" or "parameters")) is { Value: { } extra } entry)
            {
                throw extra.Error($"unknown key '{entry.Key}' for a regime detector; known: class, parameters");
            }

            var parameters = new ConfigParameters(node, node.Get("parameters"));
            return parameters.Create(className.AsString(), () => create(parameters));
        }

        var name = node.AsString();
        if (!ComponentCatalog.BuiltInDetectors.TryGetValue(name, out var builtIn))
        {
            throw node.Error($"unknown regime detector '{name}'; available: {string.Join(", ", ComponentCatalog.BuiltInDetectors.Keys)}, or {{class: ..., parameters: ...}}");
        }

        return _detectors.TryGetValue(name, out var detector) ? detector : _detectors[name] = builtIn();
    }

    private ITradingRule Rule(ConfigNode node)
    {
        var name = node.AsString();
        if (_rules.TryGetValue(name, out var rule))
        {
            return rule;
        }

        if (rulesSection?.Get(name) is { } definition)
        {
            var className = definition.Get("class") ?? throw definition.Error("class is required");
            if (!ComponentCatalog.RuleClasses.TryGetValue(className.AsString(), out var create))
            {
                throw className.Error($"unknown rule class '{className.Value}'; available: {string.Join(", ", ComponentCatalog.RuleClasses.Keys)}");
            }

            var parameters = new ConfigParameters(definition, definition.Get("parameters"));
            return _rules[name] = parameters.Create(className.AsString(), () => create(parameters));
        }

        return ComponentCatalog.BuiltInRules.TryGetValue(name, out var builtIn)
            ? _rules[name] = builtIn()
            : throw node.Error($"unknown rule '{name}'; define it under optimization.rules or use one of {string.Join(", ", ComponentCatalog.BuiltInRules.Keys)}");
    }
}
