namespace OptimizerGrpc.Optimization;

/// <summary>
/// The <c>parameters</c> of one component, read by name. Every key must be read: <see cref="Done"/> rejects the
/// rest, so a misspelt setting is an error with its line rather than a silently ignored default.
/// </summary>
internal sealed class ConfigParameters
{
    private readonly ConfigNode _owner;
    private readonly IReadOnlyList<KeyValuePair<string, ConfigNode>> _entries;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public ConfigParameters(ConfigNode owner, ConfigNode? parameters)
    {
        _owner = owner;
        _entries = parameters?.AsMap() ?? [];
    }

    public ConfigNode? Node(string key)
    {
        _read.Add(key);
        return _entries.FirstOrDefault(e => e.Key == key).Value;
    }

    public ConfigNode Required(string key) => Node(key) ?? throw _owner.Error($"parameters.{key} is required");

    public double? Double(string key) => Node(key)?.AsDouble();

    public int? Int(string key) => Node(key)?.AsInt();

    public long? Long(string key) => Node(key)?.AsLong();

    public bool? Bool(string key) => Node(key)?.AsBool();

    public string? String(string key) => Node(key)?.AsString();

    public ulong? Seed() => Node("seed") is { } node
        ? ulong.TryParse(node.AsString(), System.Globalization.CultureInfo.InvariantCulture, out var seed) ? seed : throw node.Error("expected a whole number >= 0")
        : null;

    /// <summary>Throws for the first key that no setting read.</summary>
    public void Done(string component)
    {
        if (_entries.FirstOrDefault(e => !_read.Contains(e.Key)) is { Value: { } unknown } entry)
        {
            var known = _read.Count == 0 ? "none" : string.Join(", ", _read.Order(StringComparer.Ordinal));
            throw unknown.Error($"unknown parameter '{entry.Key}' for {component}; known: {known}");
        }
    }

    /// <summary>Runs <paramref name="create"/> and reports its argument errors at this component's node.</summary>
    public T Create<T>(string component, Func<T> create)
    {
        T value;
        try
        {
            value = create();
        }
        catch (ArgumentException e)
        {
            throw _owner.Error($"{component}: {e.Message}");
        }

        Done(component);
        return value;
    }
}
