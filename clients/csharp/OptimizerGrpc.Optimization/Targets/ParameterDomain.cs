using System.Globalization;
using OptimizerGrpc.Trading;

namespace OptimizerGrpc.Optimization;

/// <summary>
/// The values one parameter may take (the spec's <c>Dict[str, List[Any]]</c> entry): either an explicit list of
/// <see cref="Values"/>, or the range [<see cref="Low"/>, <see cref="High"/>] on a grid of <see cref="Step"/>
/// (continuous for a float range without step).
/// </summary>
public sealed record ParameterDomain
{
    private ParameterDomain(RuleParameterKind kind, double low, double high, double? step, IReadOnlyList<double>? values, double? defaultValue)
    {
        Kind = kind;
        Low = low;
        High = high;
        Step = step;
        Values = values;
        Default = defaultValue;
    }

    /// <summary>Whole numbers or real numbers.</summary>
    public RuleParameterKind Kind { get; }

    /// <summary>Smallest value (inclusive).</summary>
    public double Low { get; }

    /// <summary>Largest value (inclusive).</summary>
    public double High { get; }

    /// <summary>Grid step; null for a continuous float range or a value list.</summary>
    public double? Step { get; }

    /// <summary>The explicit values, when the domain is a list; null for a range.</summary>
    public IReadOnlyList<double>? Values { get; }

    /// <summary>The starting value, when known.</summary>
    public double? Default { get; }

    /// <summary>Integers low, low + step, ... up to high.</summary>
    public static ParameterDomain Integer(long low, long high, long step = 1, double? defaultValue = null) =>
        low <= high && step > 0
            ? new(RuleParameterKind.Integer, low, high, step, null, defaultValue)
            : throw new ArgumentException($"An integer range needs low <= high and step > 0, got [{low}, {high}] step {step}.", nameof(low));

    /// <summary>The interval [low, high], on a grid of <paramref name="step"/> when given.</summary>
    public static ParameterDomain Float(double low, double high, double? step = null, double? defaultValue = null) =>
        double.IsFinite(low) && double.IsFinite(high) && low <= high && step is null or > 0
            ? new(RuleParameterKind.Float, low, high, step, null, defaultValue)
            : throw new ArgumentException($"A float range needs finite low <= high and step > 0, got [{low}, {high}] step {step}.", nameof(low));

    /// <summary>An explicit, non-empty list of values; integral when every value is a whole number.</summary>
    public static ParameterDomain List(IEnumerable<double> values)
    {
        var list = values?.ToArray() ?? throw new ArgumentNullException(nameof(values));
        if (list.Length == 0 || list.Any(v => !double.IsFinite(v)) || list.Distinct().Count() != list.Length)
        {
            throw new ArgumentException("A value list must be non-empty, finite and without repeats.", nameof(values));
        }

        var kind = list.All(v => v == Math.Round(v)) ? RuleParameterKind.Integer : RuleParameterKind.Float;
        return new(kind, list.Min(), list.Max(), null, list, null);
    }

    /// <summary>A rule parameter's range, step and default.</summary>
    public static ParameterDomain FromRule(RuleParameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return parameter.Kind == RuleParameterKind.Integer
            ? Integer((long)parameter.Low, (long)parameter.High, (long)(parameter.Step ?? 1), parameter.Default)
            : Float(parameter.Low, parameter.High, parameter.Step, parameter.Default);
    }

    /// <summary>Whether <paramref name="value"/> lies in the domain (on the grid or in the list).</summary>
    public bool Contains(double value)
    {
        if (Values is not null)
        {
            return Values.Contains(value);
        }

        if (!(value >= Low && value <= High))
        {
            return false;
        }

        if (Kind == RuleParameterKind.Integer && value != Math.Round(value))
        {
            return false;
        }

        // A grid value is low + k * step up to rounding; 1e-9 of a step absorbs the rounding of decimal steps such as 0.1.
        return Step is not { } step || Math.Abs(((value - Low) / step) - Math.Round((value - Low) / step)) < 1e-9;
    }

    /// <summary>Number of grid points, or null for a continuous range.</summary>
    public long? GridSize => Values is not null ? Values.Count
        : Step is { } step ? (long)Math.Floor(((High - Low) / step) + 1e-9) + 1
        : null;

    /// <inheritdoc />
    public override string ToString() => Values is not null
        ? "[" + string.Join(", ", Values.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "]"
        : string.Create(CultureInfo.InvariantCulture, $"[{Low}, {High}]{(Step is { } s ? $" step {s}" : "")}");
}
