using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace OptimizerGrpc.Client;

/// <summary>
/// Makes the channel to a server: TLS for <c>https://</c> addresses (trusting only
/// <see cref="OptimizerClientOptions.CertificateAuthorityFile"/> when given; cleartext addresses ignore it), and the
/// credentials added to every call's metadata, on TLS and on a cleartext loopback channel alike.
/// </summary>
public static class OptimizerChannel
{
    /// <summary>The metadata key of an API key (the server's <c>x-api-key</c>).</summary>
    public const string ApiKeyHeader = "x-api-key";

    /// <summary>A channel to <paramref name="address"/> ("http://host:port", "https://host:port", or "host:port" for cleartext).</summary>
    public static GrpcChannel Create(string address, OptimizerClientOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        options ??= new OptimizerClientOptions();
        string url = address.Contains("://", StringComparison.Ordinal) ? address : "http://" + address;
        var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true };
        // The CA applies to https:// addresses only, so an exported OPTIMIZER_TLS_CA never breaks a cleartext loopback
        // connection (as in the Python client).
        if (options.CertificateAuthorityFile is { } caFile && url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(LoadCertificates(caFile));
            handler.SslOptions.CertificateChainPolicy = policy;
        }

        return GrpcChannel.ForAddress(url, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = options.MaxMessageBytes,
            MaxSendMessageSize = options.MaxMessageBytes,
        });
    }

    /// <summary>The invoker of <paramref name="channel"/> with the credentials of <paramref name="options"/> on every call.</summary>
    public static CallInvoker WithCredentials(GrpcChannel channel, OptimizerClientOptions? options)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var invoker = channel.CreateCallInvoker();
        if (options is null || (options.ApiKey is null && options.BearerToken is null))
        {
            return invoker;
        }

        string? key = options.ApiKey;
        string? bearer = options.BearerToken is { } token ? "Bearer " + token : null;
        return invoker.Intercept(metadata =>
        {
            if (key is not null)
            {
                metadata.Add(ApiKeyHeader, key);
            }

            if (bearer is not null)
            {
                metadata.Add("authorization", bearer);
            }

            return metadata;
        });
    }

    private static X509Certificate2Collection LoadCertificates(string path)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"could not read the CA certificate file {path}: {e.Message}", nameof(path), e);
        }

        return certificates.Count > 0 ? certificates : throw new ArgumentException($"{path} holds no PEM certificate", nameof(path));
    }
}
