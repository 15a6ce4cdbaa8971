using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace OptimizerGrpc.Cli.Parsing;

/// <summary>
/// Options whose mistakes are reported in the CLI's own words (the flag, what it accepts, what was given) rather than
/// System.CommandLine's type names, and that complete their allowed values in the shell.
/// </summary>
internal static class Parsers
{
    /// <summary>A whole number of at least 1; "--workers must be a positive whole number, got '0'".</summary>
    public static Option<int?> Positive(string name, string description) =>
        Int(name, description, 1, int.MaxValue, text => $"{name} must be a positive whole number, got '{Shorten(text)}'");

    /// <summary>A whole number from 1 to <paramref name="max"/>; "--max-studies must be a whole number from 1 to ..., got 'x'".</summary>
    public static Option<int?> InRange(string name, string description, int max) =>
        Int(name, description, 1, max, text => $"{name} must be a whole number from 1 to {max}, got '{Shorten(text)}'");

    /// <summary>A whole number from 0 up; "--after must be a whole number from 0 up, got 'x'".</summary>
    public static Option<long?> NonNegative(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            string text = result.Tokens[0].Value;
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
            {
                return value;
            }

            result.AddError($"{name} must be a whole number from 0 up, got '{Shorten(text)}'");
            return null;
        },
    };

    /// <summary>One of <paramref name="allowed"/>: "--durability must be strict, full or normal, got 'x'".</summary>
    public static Option<string> Choice(string name, string description, string defaultValue, params string[] allowed)
    {
        var option = LastWins(new Option<string>(name)
        {
            Description = description,
            HelpName = string.Join('|', allowed),
            DefaultValueFactory = _ => defaultValue,
        });
        option.CompletionSources.Add(allowed);
        option.Validators.Add(result =>
        {
            string? value = result.GetValueOrDefault<string>();
            if (value is not null && !allowed.Contains(value, StringComparer.Ordinal))
            {
                result.AddError($"{name} must be {OneOf(allowed)}, got '{Shorten(value)}'");
            }
        });
        return option;
    }

    /// <summary>Enum names in lower case, several allowed ("--state running,paused" or repeated).</summary>
    public static Option<TEnum[]> States<TEnum>(string name, string description, params TEnum[] allowed)
        where TEnum : struct, Enum
    {
        string[] names = [.. allowed.Select(a => a.ToString().ToLowerInvariant())];
        var option = new Option<TEnum[]>(name)
        {
            Description = description,
            HelpName = string.Join('|', names),
            AllowMultipleArgumentsPerToken = false,
            CustomParser = result =>
            {
                var states = new List<TEnum>();
                foreach (string text in result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
                {
                    int index = Array.IndexOf(names, text.ToLowerInvariant());
                    if (index < 0)
                    {
                        result.AddError($"{name} must be {OneOf(names)}, got '{Shorten(text)}'");
                        return [];
                    }

                    states.Add(allowed[index]);
                }

                return [.. states.Distinct()];
            },
        };
        option.CompletionSources.Add(names);
        return option;
    }

    /// <summary>
    /// A value option given more than once keeps the last value, as the hand-written parser did and scripts rely on
    /// (the end-to-end tests append '--address 0.0.0.0:0' to a default '--address 127.0.0.1:0').
    /// </summary>
    public static Option<string> LastWins(Option<string> option)
    {
        option.Arity = ArgumentArity.OneOrMore;
        option.AllowMultipleArgumentsPerToken = false;
        option.CustomParser = result => result.Tokens[^1].Value;
        return option;
    }

    /// <summary>The <c>--json</c> flag of every operator verb.</summary>
    public static Option<bool> Json() => new("--json") { Description = "Print JSON on stdout, and nothing else there (for scripts)" };

    /// <summary>The study id argument of the operator verbs.</summary>
    public static Argument<string> StudyId() => new("ID") { Description = "The study's id (see 'optimizer studies')" };

    /// <summary>"a, b or c".</summary>
    public static string OneOf(IReadOnlyList<string> values) =>
        values.Count == 1 ? values[0] : $"{string.Join(", ", values.Take(values.Count - 1))} or {values[^1]}";

    private static Option<int?> Int(string name, string description, int min, int max, Func<string, string> error) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            string text = result.Tokens[0].Value;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max)
            {
                return value;
            }

            result.AddError(error(text));
            return null;
        },
    };

    // A pasted wall of text in an error message helps nobody.
    private static string Shorten(string text) => text.Length > 20 ? text[..20] + "..." : text;
}
