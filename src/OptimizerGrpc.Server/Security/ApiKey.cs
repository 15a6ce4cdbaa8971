using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;

namespace OptimizerGrpc.Server.Security;

/// <summary>
/// One accepted API key: its id (the caller's name: owner of the studies it creates, prefix of its workers' ids), its
/// role and scope, and the SHA-256 of its secret. Only the hash is kept in memory; the secret is never logged. Several
/// keys may share an id (an old and a new secret while rotating).
/// </summary>
public sealed record ApiKey(string Id, string Role, StudyScope Scope, ImmutableArray<byte> SecretHash)
{
    /// <summary>What keys made by <see cref="NewSecret"/> start with, so secret scanners and people recognise them.</summary>
    public const string SecretPrefix = "opt_";

    /// <summary>A new random secret: 32 bytes from the OS's CSPRNG, base64url.</summary>
    public static string NewSecret() =>
        SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>SHA-256 of the secret's UTF-8 bytes. Keys are long and random, so a fast hash suffices (no password stretching).</summary>
    public static ImmutableArray<byte> Hash(string secret) => [.. SHA256.HashData(Encoding.UTF8.GetBytes(secret))];

    /// <summary>The keys-file form of a secret's hash: <c>sha256:</c> and 64 hex digits.</summary>
    public static string HashText(string secret) => "sha256:" + Convert.ToHexStringLower(Hash(secret).AsSpan());
}
