using System.CommandLine;
using Grpc.Core;
using OptimizerGrpc.Client;

namespace OptimizerGrpc.Cli.Connection;

/// <summary>
/// The options of commands that talk to a running server: <c>--server ADDRESS</c> (else <c>OPTIMIZER_ADDRESS</c>,
/// else http://127.0.0.1:50051; HOST:PORT alone means http), <c>--api-key KEY</c> (else <c>OPTIMIZER_API_KEY</c>) and
/// <c>--tls-ca FILE</c> (else <c>OPTIMIZER_TLS_CA</c>); a bearer token comes from <c>OPTIMIZER_TOKEN</c>. Prefer the
/// environment for keys: a command line is visible to every user of the machine. The address variable is not
/// OPTIMIZER_SERVER: that one names the server program for the Python client's LocalServer.
/// </summary>
internal sealed class ServerConnection
{
    public const string AddressVariable = "OPTIMIZER_ADDRESS";
    public const string DefaultAddress = "http://127.0.0.1:50051";

    private readonly bool _embeddedWhenMissing;

    private ServerConnection(bool embeddedWhenMissing)
    {
        _embeddedWhenMissing = embeddedWhenMissing;
        Server = new Option<string?>("--server")
        {
            Description = embeddedWhenMissing
                ? "Address of a running server (http://HOST:PORT, https:// for TLS); without it an embedded server is started"
                : $"Address of the server (http://HOST:PORT, https:// for TLS) [default: ${AddressVariable}, else {DefaultAddress}]",
            HelpName = "ADDRESS",
        };
        ApiKey = new Option<string?>("--api-key") { Description = "API key [default: $OPTIMIZER_API_KEY]", HelpName = "KEY" };
        TlsCa = new Option<string?>("--tls-ca") { Description = "PEM file of the CA that signed the server's certificate [default: $OPTIMIZER_TLS_CA]", HelpName = "FILE" };
    }

    public Option<string?> Server { get; }

    public Option<string?> ApiKey { get; }

    public Option<string?> TlsCa { get; }

    /// <summary>Adds the three options to <paramref name="command"/>; <c>run</c> starts its own server when --server is absent.</summary>
    public static ServerConnection AddTo(Command command, bool embeddedWhenMissing = false)
    {
        var connection = new ServerConnection(embeddedWhenMissing);
        command.Add(connection.Server);
        command.Add(connection.ApiKey);
        command.Add(connection.TlsCa);
        return connection;
    }

    /// <summary>The server's address as a URL; null for <c>run</c> without --server (an embedded server).</summary>
    public string? Address(ParseResult parse)
    {
        string? given = parse.GetValue(Server);
        if (string.IsNullOrEmpty(given))
        {
            given = _embeddedWhenMissing ? null : Environment.GetEnvironmentVariable(AddressVariable) is { Length: > 0 } env ? env : DefaultAddress;
        }

        if (given is null)
        {
            return null;
        }

        // `optimizer serve` prints http://HOST:PORT; HOST:PORT alone means the same.
        string address = given.Contains("://", StringComparison.Ordinal) ? given : "http://" + given;
        return Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? address
            : throw new UsageException($"--server must be an address like {DefaultAddress}, got '{given}'");
    }

    public OptimizerClientOptions ClientOptions(ParseResult parse)
    {
        var defaults = new OptimizerClientOptions();
        string? ca = parse.GetValue(TlsCa) is { Length: > 0 } file ? file : defaults.CertificateAuthorityFile;
        if (ca is not null && !File.Exists(ca))
        {
            throw new UsageException($"--tls-ca: no file '{ca}'");
        }

        return defaults with
        {
            ApiKey = parse.GetValue(ApiKey) is { Length: > 0 } key ? key : defaults.ApiKey,
            CertificateAuthorityFile = ca,
        };
    }

    /// <summary>
    /// Connects and runs <paramref name="body"/>; a server error becomes <c>optimizer: STATUS: message</c> on stderr
    /// and its exit code (<see cref="RpcFailure"/>).
    /// </summary>
    public async Task<int> RunAsync(ParseResult parse, Func<OptimizerClient, Task<int>> body, CancellationToken ct)
    {
        string address = Address(parse)!;
        await using var client = new OptimizerClient(address, ClientOptions(parse));
        try
        {
            return await body(client);
        }
        catch (RpcException e) when (!(e.StatusCode == StatusCode.Cancelled && ct.IsCancellationRequested))
        {
            return await RpcFailure.ReportAsync(e, address);
        }
    }
}
