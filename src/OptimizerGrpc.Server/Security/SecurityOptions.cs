namespace OptimizerGrpc.Server.Security;

/// <summary>
/// Who may call the server and how it is reached: API keys, bearer tokens (JWT), TLS. With neither keys nor tokens
/// configured the server authenticates nobody and everyone has every right, which it allows only on loopback
/// addresses unless <see cref="AllowInsecure"/> (docs/security.md).
/// </summary>
public sealed class SecurityOptions
{
    /// <summary>A keys file (docs/security.md: one key per line, <c>id role secret-or-sha256:HEX [studies=...]</c>); re-read when it changes.</summary>
    public string? ApiKeysFile { get; set; }

    /// <summary>Keys in the keys-file format given inline (the <c>OPTIMIZER_API_KEYS</c> environment variable); lines may be separated by ';'.</summary>
    public string? ApiKeys { get; set; }

    /// <summary>Bearer tokens accepted beside API keys; null accepts none.</summary>
    public JwtOptions? Jwt { get; set; }

    /// <summary>PEM certificate (chain) served on every endpoint; with <see cref="TlsKeyFile"/> turns TLS on.</summary>
    public string? TlsCertificateFile { get; set; }

    /// <summary>PEM private key of <see cref="TlsCertificateFile"/>.</summary>
    public string? TlsKeyFile { get; set; }

    /// <summary>Listen on a non-loopback address without authentication (a trusted network only).</summary>
    public bool AllowInsecure { get; set; }

    /// <summary>Whether callers must authenticate.</summary>
    public bool AuthenticationEnabled => ApiKeysFile is not null || ApiKeys is not null || Jwt is not null;

    /// <summary>Whether the endpoints serve TLS.</summary>
    public bool TlsEnabled => TlsCertificateFile is not null;
}

/// <summary>
/// How bearer tokens are validated: signed with <see cref="KeyFile"/> (a PEM public key for RS256/ES256 tokens, or a
/// shared secret of at least 32 bytes for HS256), issued by <see cref="Issuer"/> for <see cref="Audience"/>.
/// The token's <c>sub</c> names the caller, <c>role</c> gives its role, an optional <c>studies</c> claim limits a
/// worker to some studies.
/// </summary>
public sealed class JwtOptions
{
    public required string Issuer { get; set; }

    public required string Audience { get; set; }

    public required string KeyFile { get; set; }
}
