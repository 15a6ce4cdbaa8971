using System.Globalization;
using System.Text.RegularExpressions;
using static OptimizerGrpc.Core.Studies.UserText;

namespace OptimizerGrpc.Server.Security;

/// <summary>
/// Reads keys in the keys-file format: one key per line, <c>#</c> starts a comment,
/// <c>ID ROLE SECRET [studies=LIST]</c> where SECRET is <c>sha256:HEX</c> (what <c>optimizer keys create</c> writes)
/// or the secret itself (at least 16 characters). A mistake names its line and never echoes a secret.
/// </summary>
public static partial class ApiKeyFile
{
    /// <summary>Shortest secret accepted in clear text.</summary>
    public const int MinSecretLength = 16;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex("^sha256:[0-9a-fA-F]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex HashPattern();

    /// <summary>Whether a key id (or a token's subject) can name a caller: letters, digits, '.', '_', '@', '-'; at most 64.</summary>
    public static bool IsValidId(string id) => IdPattern().IsMatch(id);

    /// <summary>Parses keys; lines may also be separated by ';' (keys given in one environment variable).</summary>
    /// <param name="source">Where the text came from, for messages (a path, or the variable's name).</param>
    public static IReadOnlyList<ApiKey> Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var keys = new List<ApiKey>();
        var lines = text.Split(['\n', ';']);
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            int hash = line.IndexOf('#', StringComparison.Ordinal);
            var fields = (hash >= 0 ? line[..hash] : line).Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0)
            {
                continue;
            }

            string where = string.Create(CultureInfo.InvariantCulture, $"{source}, line {i + 1}");
            keys.Add(ParseLine(fields, where));
        }

        return keys;
    }

    private static ApiKey ParseLine(string[] fields, string where)
    {
        if (fields.Length is < 3 or > 4)
        {
            throw new FormatException($"{where}: expected 'ID ROLE SECRET [studies=LIST]', got {fields.Length} fields");
        }

        if (!IsValidId(fields[0]))
        {
            throw new FormatException($"{where}: key id {Quote(fields[0])} must be 1 to 64 letters, digits, '.', '_', '@' or '-'");
        }

        if (!Roles.IsKnown(fields[1]))
        {
            throw new FormatException($"{where}: role {Quote(fields[1])} is not one of {string.Join(", ", Roles.All)}");
        }

        var scope = StudyScope.All;
        if (fields.Length == 4)
        {
            if (!fields[3].StartsWith("studies=", StringComparison.Ordinal))
            {
                throw new FormatException($"{where}: the fourth field must be 'studies=ID,PREFIX*,...'");
            }

            try
            {
                scope = StudyScope.Parse(fields[3]["studies=".Length..]);
            }
            catch (FormatException e)
            {
                throw new FormatException($"{where}: {e.Message}", e);
            }
        }

        string secret = fields[2];
        System.Collections.Immutable.ImmutableArray<byte> digest;
        if (secret.StartsWith("sha256:", StringComparison.Ordinal))
        {
            digest = HashPattern().IsMatch(secret)
                ? [.. Convert.FromHexString(secret["sha256:".Length..])]
                : throw new FormatException($"{where}: a hashed secret is 'sha256:' and 64 hex digits");
        }
        else
        {
            digest = secret.Length >= MinSecretLength
                ? ApiKey.Hash(secret)
                : throw new FormatException($"{where}: the secret of key {Quote(fields[0])} is shorter than {MinSecretLength} characters (make one with 'optimizer keys create')");
        }

        return new ApiKey(fields[0], fields[1], scope, digest);
    }
}
