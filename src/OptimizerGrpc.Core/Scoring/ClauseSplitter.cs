namespace OptimizerGrpc.Core.Scoring;

/// <summary>
/// Splits a condition at its top-level <c>and</c>s, so a failing performance constraint can name the clause that
/// failed. Only when the condition has no top-level <c>or</c> (which binds looser than <c>and</c>); otherwise the
/// whole condition is one clause. Parentheses and quoted strings are respected.
/// </summary>
public static class ClauseSplitter
{
    public static IReadOnlyList<string> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var cuts = new List<(int Start, int Length)>();
        int depth = 0;
        char quote = '\0';
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }

                continue;
            }

            switch (c)
            {
                case '\'' or '"': quote = c; break;
                case '(': depth++; break;
                case ')': depth--; break;
                default:
                    if (depth == 0)
                    {
                        if (IsWord(text, i, "or") || At(text, i, "||"))
                        {
                            return [text.Trim()];
                        }

                        if (IsWord(text, i, "and"))
                        {
                            cuts.Add((i, 3));
                        }
                        else if (At(text, i, "&&"))
                        {
                            cuts.Add((i, 2));
                        }
                    }

                    break;
            }
        }

        var clauses = new List<string>(cuts.Count + 1);
        int from = 0;
        foreach (var (start, length) in cuts)
        {
            clauses.Add(text[from..start].Trim());
            from = start + length;
        }

        clauses.Add(text[from..].Trim());
        return clauses;
    }

    private static bool At(string text, int i, string token) => string.CompareOrdinal(text, i, token, 0, token.Length) == 0;

    private static bool IsWord(string text, int i, string word) =>
        At(text, i, word)
        && (i == 0 || !IsNameChar(text[i - 1]))
        && (i + word.Length >= text.Length || !IsNameChar(text[i + word.Length]));

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.';
}
