using static OptimizerGrpc.Core.Studies.UserText;

namespace OptimizerGrpc.Server.Security;

/// <summary>
/// Which studies a key may work on: every study, or a list of study ids and id prefixes (<c>nightly-*</c>).
/// Only narrows what a role allows; it never adds rights.
/// </summary>
public sealed class StudyScope
{
    private readonly string[] _exact;
    private readonly string[] _prefixes;

    private StudyScope(string[] exact, string[] prefixes, string text)
    {
        _exact = exact;
        _prefixes = prefixes;
        Text = text;
    }

    /// <summary>Every study.</summary>
    public static StudyScope All { get; } = new([], [], "*");

    /// <summary>The scope as written (<c>*</c> for every study); carried in the caller's claims.</summary>
    public string Text { get; }

    public bool IsAll => ReferenceEquals(this, All);

    /// <summary>Parses a comma- or space-separated list of ids and prefixes ending in '*'; "*" or empty is every study.</summary>
    public static StudyScope Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var items = text.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (items.Length == 0 || items.Contains("*"))
        {
            return All;
        }

        foreach (var item in items)
        {
            if (item.IndexOf('*', StringComparison.Ordinal) is int star && star >= 0 && star != item.Length - 1)
            {
                throw new FormatException($"study scope item {Quote(item)}: '*' may only end a prefix");
            }
        }

        return new StudyScope(
            [.. items.Where(i => !i.EndsWith('*'))],
            [.. items.Where(i => i.EndsWith('*')).Select(i => i[..^1])],
            string.Join(',', items));
    }

    public bool Allows(string studyId) =>
        IsAll || _exact.Contains(studyId, StringComparer.Ordinal) || _prefixes.Any(p => studyId.StartsWith(p, StringComparison.Ordinal));
}
