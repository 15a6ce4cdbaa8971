using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace OptimizerGrpc.Server.Api;

/// <summary>
/// Page tokens of the list calls. A token names the listing that issued it ("trials of the study with key 12",
/// "studies") and the position after which the next page starts, base64url-encoded so clients treat it as opaque. A
/// token is only accepted by the listing that issued it: a ListTrials token of study A given for study B (or a token of
/// a study deleted and created again under the same id, which gets a new key) is INVALID_ARGUMENT on page_token, never a
/// page of the wrong listing.
/// </summary>
internal static class PageTokens
{
    public static string ForTrials(long studyKey, long afterNumber) => Encode($"trials:{studyKey}:{afterNumber}");

    public static string ForStudies(long beforeKey) => Encode($"studies:{beforeKey}");

    /// <summary>The trial number after which the page starts; -1 for no token.</summary>
    public static long ParseTrials(string token, long studyKey)
    {
        if (string.IsNullOrEmpty(token))
        {
            return -1;
        }

        var parts = Decode(token)?.Split(':');
        return parts is ["trials", var key, var number] && Number(key) == studyKey && Number(number) is { } after
            ? after
            : throw Invalid();
    }

    /// <summary>The study key before which the page starts (newest first); long.MaxValue for no token.</summary>
    public static long ParseStudies(string token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return long.MaxValue;
        }

        var parts = Decode(token)?.Split(':');
        return parts is ["studies", var key] && Number(key) is { } before ? before : throw Invalid();
    }

    private static Grpc.Core.RpcException Invalid() =>
        FieldViolations.Single("page_token", "is not a token of this listing: pass the next_page_token of the previous page of the same call (and the same study)");

    private static string Encode(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    private static string? Decode(string token)
    {
        // A token of ours is short; anything long is not one, and is not decoded.
        if (token.Length > 128 || !Base64Url.IsValid(token))
        {
            return null;
        }

        return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
    }

    private static long? Number(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) ? value : null;
}
