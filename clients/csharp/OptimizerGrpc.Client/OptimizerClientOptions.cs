namespace OptimizerGrpc.Client;

/// <summary>
/// Settings of an <see cref="OptimizerClient"/>: reconnects, and the credentials and TLS trust of a server that asks for
/// them (docs/security.md). Credentials default to the environment (<c>OPTIMIZER_API_KEY</c>, <c>OPTIMIZER_TOKEN</c>,
/// <c>OPTIMIZER_TLS_CA</c>), as in the Python client and the CLI, so a worker started on another machine needs no code
/// for them.
/// </summary>
public sealed record OptimizerClientOptions
{
    /// <summary>The environment variable read for <see cref="ApiKey"/>.</summary>
    public const string ApiKeyVariable = "OPTIMIZER_API_KEY";

    /// <summary>The environment variable read for <see cref="BearerToken"/>.</summary>
    public const string TokenVariable = "OPTIMIZER_TOKEN";

    /// <summary>The environment variable read for <see cref="CertificateAuthorityFile"/>.</summary>
    public const string CertificateAuthorityVariable = "OPTIMIZER_TLS_CA";

    /// <summary>Longest wait between reconnects of a watch stream. Default 30 s.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>First wait before reconnecting. Default 200 ms.</summary>
    public TimeSpan InitialReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Clock for reconnect delays; tests pass a fake. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>API key sent as <c>x-api-key</c> on every call. Default: <c>OPTIMIZER_API_KEY</c>, or none.</summary>
    public string? ApiKey { get; init; } = Environment.GetEnvironmentVariable(ApiKeyVariable) is { Length: > 0 } key ? key : null;

    /// <summary>Bearer token (JWT) sent as <c>authorization: Bearer</c> on every call. Default: <c>OPTIMIZER_TOKEN</c>, or none.</summary>
    public string? BearerToken { get; init; } = Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } token ? token : null;

    /// <summary>
    /// PEM file of the CA that signed the server's certificate (a private CA, e.g. from <c>optimizer tls create</c>);
    /// only that CA is trusted then, for <c>https://</c> addresses (cleartext ones ignore it). Null trusts the system's
    /// CAs. Default: <c>OPTIMIZER_TLS_CA</c>, or null.
    /// </summary>
    public string? CertificateAuthorityFile { get; init; } = Environment.GetEnvironmentVariable(CertificateAuthorityVariable) is { Length: > 0 } ca ? ca : null;

    /// <summary>Largest message sent or received. Default 64 MiB, the server's default limit.</summary>
    public int MaxMessageBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>Shows the settings without the secrets.</summary>
    public override string ToString() =>
        $"OptimizerClientOptions {{ ApiKey = {(ApiKey is null ? "none" : "set")}, BearerToken = {(BearerToken is null ? "none" : "set")}, " +
        $"CertificateAuthorityFile = {CertificateAuthorityFile ?? "system"} }}";
}
