using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace OptimizerGrpc.Server.Api.Dashboard;

/// <summary>
/// The dashboard's static files, embedded in the server assembly (from Api/Dashboard/wwwroot) so the page works on a
/// machine with no internet and ships with the server binary; served with an ETag.
/// </summary>
internal static class DashboardAssets
{
    private const string Prefix = "dashboard/";

    private static readonly Lazy<FrozenDictionary<string, Asset>> All = new(Load);

    public sealed record Asset(string Path, string ContentType, byte[] Content, string ETag);

    public static bool TryGet(string path, out Asset asset) => All.Value.TryGetValue(path, out asset!);

    public static string Text(string path) =>
        TryGet(path, out var asset) ? System.Text.Encoding.UTF8.GetString(asset.Content) : throw new FileNotFoundException($"the dashboard has no file '{path}'");

    private static FrozenDictionary<string, Asset> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (string name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            byte[] content = copy.ToArray();
            string path = name[Prefix.Length..].Replace('\\', '/');
            assets[path] = new Asset(path, ContentType(path), content, "\"" + Convert.ToHexString(SHA256.HashData(content))[..16] + "\"");
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentType(string path) => Path.GetExtension(path) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        ".ico" => "image/x-icon",
        ".json" => "application/json",
        _ => "text/plain; charset=utf-8",
    };
}
