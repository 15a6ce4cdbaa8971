using System.Globalization;

namespace OptimizerGrpc.Optimization;

/// <summary>Which shape a <see cref="ConfigNode"/> has.</summary>
internal enum ConfigNodeKind
{
    Scalar,
    Map,
    List,
}

/// <summary>
/// A configuration tree that remembers where each node came from, so every error names its key path and line.
/// YAML and <c>IConfiguration</c> are both read into it and interpreted once.
/// </summary>
internal sealed class ConfigNode
{
    private ConfigNode(ConfigNodeKind kind, string source, string path, int? line, int? column)
    {
        Kind = kind;
        Source = source;
        Path = path;
        Line = line;
        Column = column;
    }

    public ConfigNodeKind Kind { get; }

    public string Source { get; }

    public string Path { get; }

    public int? Line { get; }

    public int? Column { get; }

    public string? Value { get; private init; }

    public IReadOnlyList<KeyValuePair<string, ConfigNode>> Entries { get; private init; } = [];

    public IReadOnlyList<ConfigNode> Items { get; private init; } = [];

    public static ConfigNode Scalar(string source, string path, string? value, int? line = null, int? column = null) =>
        new(ConfigNodeKind.Scalar, source, path, line, column) { Value = value };

    public static ConfigNode Map(string source, string path, IReadOnlyList<KeyValuePair<string, ConfigNode>> entries, int? line = null, int? column = null) =>
        new(ConfigNodeKind.Map, source, path, line, column) { Entries = entries };

    public static ConfigNode List(string source, string path, IReadOnlyList<ConfigNode> items, int? line = null, int? column = null) =>
        new(ConfigNodeKind.List, source, path, line, column) { Items = items };

    public OptimizationConfigException Error(string problem) => new(Source, Path, Line, Column, problem);

    public ConfigNode? Get(string key) => Kind == ConfigNodeKind.Map ? Entries.FirstOrDefault(e => e.Key == key).Value : null;

    public IReadOnlyList<KeyValuePair<string, ConfigNode>> AsMap() => Kind switch
    {
        ConfigNodeKind.Map => Entries,
        ConfigNodeKind.Scalar when string.IsNullOrEmpty(Value) => [], // "key:" with nothing after it, or {} through IConfiguration
        _ => throw Error($"expected a mapping of names to settings, got a {Describe()}"),
    };

    public IReadOnlyList<ConfigNode> AsList() => Kind == ConfigNodeKind.List
        ? Items
        : throw Error($"expected a list, got a {Describe()}");

    public string AsString() => Kind == ConfigNodeKind.Scalar && !string.IsNullOrEmpty(Value)
        ? Value
        : throw Error($"expected a text value, got {(Kind == ConfigNodeKind.Scalar ? "nothing" : "a " + Describe())}");

    public double AsDouble() => double.TryParse(AsString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
        ? v
        : throw Error($"expected a number, got '{Value}'");

    public int AsInt() => int.TryParse(AsString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
        ? v
        : throw Error($"expected a whole number, got '{Value}'");

    public long AsLong() => long.TryParse(AsString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
        ? v
        : throw Error($"expected a whole number, got '{Value}'");

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Globalization", "CA1308", Justification = "Matches YAML keywords written in lower case; upper-casing would also accept 'ſ' (long s) as 's'.")]
    public bool AsBool() => AsString().ToLowerInvariant() switch
    {
        "true" or "yes" or "on" => true,
        "false" or "no" or "off" => false,
        _ => throw Error($"expected true or false, got '{Value}'"),
    };

    private string Describe() => Kind switch
    {
        ConfigNodeKind.Map => "mapping",
        ConfigNodeKind.List => "list",
        _ => $"value '{Value}'",
    };
}
