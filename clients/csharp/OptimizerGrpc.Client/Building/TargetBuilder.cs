using OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Client;

/// <summary>Adds parameters to one target of a <see cref="StudyBuilder"/>. Each method checks its domain at once.</summary>
public sealed class TargetBuilder
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    internal TargetBuilder(Target target) => Target = target;

    internal Target Target { get; }

    /// <summary>Integers low, low + step, ... up to high.</summary>
    public TargetBuilder Int(string name, long low, long high, long step = 1, long? defaultValue = null, string? description = null)
    {
        if (low > high || step <= 0)
        {
            throw new ArgumentException($"{Qualified(name)}: need low <= high and step > 0, got [{low}, {high}] step {step}.", nameof(low));
        }

        return Add(name, p => p.IntRange = new IntRange { Low = low, High = high, Step = step },
            defaultValue is { } d ? new ParameterValue { IntValue = d } : null, description);
    }

    /// <summary>The interval [low, high], continuous or on a grid of <paramref name="step"/>.</summary>
    public TargetBuilder Float(string name, double low, double high, double? step = null, double? defaultValue = null, string? description = null)
    {
        if (!(low <= high) || step is <= 0 || !double.IsFinite(low) || !double.IsFinite(high))
        {
            throw new ArgumentException($"{Qualified(name)}: need finite low <= high and step > 0, got [{low}, {high}] step {step}.", nameof(low));
        }

        return Add(name, p =>
        {
            p.FloatRange = new FloatRange { Low = low, High = high };
            if (step is { } s)
            {
                p.FloatRange.Step = s;
            }
        }, defaultValue is { } d ? new ParameterValue { FloatValue = d } : null, description);
    }

    /// <summary>The interval [low, high] searched uniformly in ln(x); both bounds must be &gt; 0.</summary>
    public TargetBuilder LogFloat(string name, double low, double high, double? defaultValue = null, string? description = null)
    {
        if (!(low > 0 && low <= high) || !double.IsFinite(high))
        {
            throw new ArgumentException($"{Qualified(name)}: a log range needs 0 < low <= high, got [{low}, {high}].", nameof(low));
        }

        return Add(name, p => p.FloatRange = new FloatRange { Low = low, High = high, Log = true },
            defaultValue is { } d ? new ParameterValue { FloatValue = d } : null, description);
    }

    /// <summary>An unordered set of string choices.</summary>
    public TargetBuilder Categorical(string name, IEnumerable<string> choices, string? defaultValue = null, string? description = null)
    {
        var list = choices.ToList();
        if (list.Count == 0 || list.Distinct(StringComparer.Ordinal).Count() != list.Count)
        {
            throw new ArgumentException($"{Qualified(name)}: choices must be non-empty and distinct.", nameof(choices));
        }

        return Add(name, p => p.Categorical = new Categorical { Choices = { list } },
            defaultValue is null ? null : new ParameterValue { StringValue = defaultValue }, description);
    }

    /// <summary>An explicit ordered list of typed values (the spec's <c>Dict[str, List[Any]]</c>).</summary>
    public TargetBuilder Values(string name, params ParamValue[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length == 0)
        {
            throw new ArgumentException($"{Qualified(name)}: the value list must not be empty.", nameof(values));
        }

        return Add(name, p => p.Values = new ValueList { Values = { values.Select(ProtoMapper.ToProto) } }, null, null);
    }

    /// <summary>Adds a metadata entry to the target (free-form; stored with the study).</summary>
    public TargetBuilder Metadata(string key, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        Target.Metadata[key] = value ?? string.Empty;
        return this;
    }

    private TargetBuilder Add(string name, Action<Parameter> setDomain, ParameterValue? defaultValue, string? description)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Contains('.', StringComparison.Ordinal) || !_names.Add(name))
        {
            throw new ArgumentException($"{Qualified(name)}: parameter names must be unique in the target and contain no '.'.", nameof(name));
        }

        var parameter = new Parameter { Name = name, Description = description ?? string.Empty, DefaultValue = defaultValue };
        setDomain(parameter);
        Target.Parameters.Add(parameter);
        return this;
    }

    private string Qualified(string name) => $"{Target.Name}.{name}";
}
