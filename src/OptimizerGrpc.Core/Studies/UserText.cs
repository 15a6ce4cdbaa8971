using System.Globalization;
using System.Text;

namespace OptimizerGrpc.Core.Studies;

/// <summary>
/// Quotes user input inside messages (errors, reasons, logs) so a message stays small and printable whatever was sent:
/// a 1 MB study id must not come back as a 1 MB status message, which default clients refuse (4 MB limit) and logs choke
/// on. It lives in Core, not in the server's Api, because Core's own messages (expressions, planners, scoring) quote
/// names too and Core cannot reference the server.
/// </summary>
public static class UserText
{
    /// <summary>The most characters of user input a message quotes (64); longer input is cut and ends with "…".</summary>
    public const int MaxQuoted = 64;

    /// <summary>
    /// <paramref name="text"/> in single quotes, at most <see cref="MaxQuoted"/> characters of it followed by "…" when
    /// longer; a control character appears as its escape (a newline as the six characters \u000a), so a quote never
    /// breaks a line of a log.
    /// </summary>
    public static string Quote(string? text)
    {
        text ??= "";
        int length = Math.Min(text.Length, MaxQuoted);
        if (length < text.Length && length > 0 && char.IsHighSurrogate(text[length - 1]))
        {
            length--;
        }

        var result = new StringBuilder(length + 8).Append('\'');
        for (int i = 0; i < length; i++)
        {
            char c = text[i];
            if (char.IsControl(c))
            {
                result.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                result.Append(c);
            }
        }

        return result.Append(length < text.Length ? "…'" : "'").ToString();
    }
}
