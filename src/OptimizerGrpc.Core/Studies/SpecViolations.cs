using OptimizerGrpc.Core.Methods;

namespace OptimizerGrpc.Core.Studies;

/// <summary>
/// Collects what is wrong with a study spec, each with the path of the offending field in the request
/// (<c>spec.sequence.walk_forward.in_sample_bars</c>), then throws them together so a client sees every mistake at once.
/// One violation per field (the first found: a later check of the same field adds nothing new), and at most
/// <see cref="MaxViolations"/> in all, so a spec with a million bad parameters gets a bounded answer.
/// </summary>
public sealed class SpecViolations
{
    /// <summary>The most violations reported for one spec or request (100).</summary>
    public const int MaxViolations = 100;

    private readonly List<SettingsViolation> _violations = [];
    private readonly HashSet<string> _fields = new(StringComparer.Ordinal);

    public bool Any => _violations.Count > 0;

    public IReadOnlyList<SettingsViolation> Items => _violations;

    public void Add(string field, string message)
    {
        if (_violations.Count < MaxViolations && _fields.Add(field))
        {
            _violations.Add(new SettingsViolation(field, message));
        }
    }

    /// <summary>Adds a method's settings violations under <paramref name="prefix"/> (for example <c>spec.method.genetic.</c>).</summary>
    public void AddAll(string prefix, IEnumerable<SettingsViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        foreach (var v in violations)
        {
            Add(prefix + v.Field, v.Message);
        }
    }

    public void ThrowIfAny(string summary)
    {
        if (_violations.Count > 0)
        {
            throw new SpecValidationException(summary, [.. _violations]);
        }
    }

    public static SpecValidationException Single(string field, string message) =>
        new($"{field}: {message}", [new SettingsViolation(field, message)]);
}

/// <summary>A study spec (or request) that is invalid; the server answers INVALID_ARGUMENT with every field violation.</summary>
public sealed class SpecValidationException : Exception
{
    public SpecValidationException(string summary, IReadOnlyList<SettingsViolation> violations)
        : base(Describe(summary, violations)) => Violations = violations;

    public IReadOnlyList<SettingsViolation> Violations { get; }

    // The status message names the first few violations; the BadRequest detail carries them all.
    private const int DescribedViolations = 5;

    private static string Describe(string summary, IReadOnlyList<SettingsViolation> violations) =>
        violations.Count == 1 && summary.StartsWith(violations[0].Field + ":", StringComparison.Ordinal)
            ? summary
            : summary + ": " + string.Join("; ", violations.Take(DescribedViolations).Select(v => $"{v.Field}: {v.Message}"))
                + (violations.Count > DescribedViolations ? $"; and {violations.Count - DescribedViolations} more" : "");
}
