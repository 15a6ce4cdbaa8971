using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OptimizerGrpc.Server.Security;

/// <summary>
/// The accepted API keys: those of the keys file and of <see cref="SecurityOptions.ApiKeys"/>. The file is read again
/// when its modification time changes (checked at most once a second), so keys are added, rotated and revoked without
/// a restart; a file that no longer parses leaves the previous keys in force and logs why.
/// </summary>
public sealed partial class ApiKeyStore
{
    /// <summary>Longest key considered; anything longer is refused before hashing.</summary>
    public const int MaxPresentedLength = 1024;

    private static readonly TimeSpan RecheckEvery = TimeSpan.FromSeconds(1);
    private readonly SecurityOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ApiKeyStore> _logger;
    private readonly Lock _reload = new();
    private readonly IReadOnlyList<ApiKey> _inline;
    private volatile IReadOnlyList<ApiKey> _keys;
    private DateTime _fileStamp;
    private long _nextCheck;

    public ApiKeyStore(IOptions<ServerOptions> options, TimeProvider time, ILogger<ApiKeyStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options.Value.Security;
        _time = time;
        _logger = logger;
        _inline = _options.ApiKeys is { } text ? ApiKeyFile.Parse(text, "OPTIMIZER_API_KEYS") : [];
        _keys = [.. _inline, .. ReadFile()];
        _nextCheck = time.GetTimestamp() + (long)(RecheckEvery.TotalSeconds * time.TimestampFrequency);
    }

    /// <summary>How many keys are accepted now.</summary>
    public int Count => _keys.Count;

    /// <summary>
    /// The key whose secret is <paramref name="presented"/>, or null. Compares the secret's hash with every key's in
    /// constant time and without stopping at a match, so timing tells nothing about which key or how much matched.
    /// </summary>
    public ApiKey? Find(string presented)
    {
        ArgumentNullException.ThrowIfNull(presented);
        if (presented.Length is 0 or > MaxPresentedLength)
        {
            return null;
        }

        ReloadIfChanged();
        var digest = ApiKey.Hash(presented).AsSpan();
        ApiKey? found = null;
        foreach (var key in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(digest, key.SecretHash.AsSpan()))
            {
                found ??= key;
            }
        }

        return found;
    }

    /// <summary>Whether some accepted key still has this id (a dashboard session ends when its key is revoked).</summary>
    public bool HasId(string id)
    {
        ReloadIfChanged();
        return _keys.Any(k => string.Equals(k.Id, id, StringComparison.Ordinal));
    }

    private void ReloadIfChanged()
    {
        long now = _time.GetTimestamp();
        if (_options.ApiKeysFile is null || now < Interlocked.Read(ref _nextCheck))
        {
            return;
        }

        lock (_reload)
        {
            if (now < _nextCheck)
            {
                return;
            }

            _nextCheck = now + (long)(RecheckEvery.TotalSeconds * _time.TimestampFrequency);
            DateTime stamp = File.Exists(_options.ApiKeysFile) ? File.GetLastWriteTimeUtc(_options.ApiKeysFile) : default;
            if (stamp == _fileStamp)
            {
                return;
            }

            try
            {
                _keys = [.. _inline, .. ReadFile()];
                LogReloaded(_keys.Count, _options.ApiKeysFile);
            }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
            {
                _fileStamp = stamp;
                LogReloadFailed(_options.ApiKeysFile, e.Message);
            }
        }
    }

    private IReadOnlyList<ApiKey> ReadFile()
    {
        if (_options.ApiKeysFile is not { } path)
        {
            return [];
        }

        _fileStamp = File.GetLastWriteTimeUtc(path);
        return ApiKeyFile.Parse(File.ReadAllText(path), path);
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Keys file {Path} changed: {Count} keys accepted now")]
    private partial void LogReloaded(int count, string path);

    [LoggerMessage(EventId = 41, Level = LogLevel.Error, Message = "Keys file {Path} changed but was not read, the previous keys stay in force: {Reason}")]
    private partial void LogReloadFailed(string path, string reason);
}
