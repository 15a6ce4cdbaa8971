using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OptimizerGrpc.Server.Security;

/// <summary>
/// Certificates for TLS: loading the server's PEM pair, and making a private CA with a server certificate signed by it
/// (<c>optimizer tls create</c>) for a team without a PKI. Clients then trust the CA file, not every certificate.
/// </summary>
public static class TlsCertificates
{
    /// <summary>Loads a PEM certificate (chain) and its PEM private key (the key may also be in the certificate file).</summary>
    public static X509Certificate2 LoadPem(string certificateFile, string? keyFile)
    {
        ArgumentNullException.ThrowIfNull(certificateFile);
        try
        {
            return X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        }
        catch (Exception e) when (e is CryptographicException or IOException or ArgumentException)
        {
            throw new FormatException($"could not load the TLS certificate {certificateFile}{(keyFile is null ? "" : " with key " + keyFile)}: {e.Message}", e);
        }
    }

    /// <summary>A CA (10 years) and a server certificate (825 days, the longest browsers accept) for <paramref name="hosts"/>, as PEM.</summary>
    /// <param name="hosts">DNS names and IP addresses the server is reached by (subject alternative names).</param>
    public static (string CaPem, string ServerPem, string ServerKeyPem) CreateCaAndServer(IReadOnlyList<string> hosts, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        if (hosts.Count == 0)
        {
            throw new ArgumentException("give at least one host name or IP address", nameof(hosts));
        }

        var now = (time ?? TimeProvider.System).GetUtcNow();
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=OptimizerGrpc private CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={hosts[0]}", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in hosts)
        {
            if (IPAddress.TryParse(host, out var ip))
            {
                names.AddIpAddress(ip);
            }
            else
            {
                names.AddDnsName(host);
            }
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var server = request.Create(ca, now.AddMinutes(-5), now.AddDays(825), serial);
        return (ca.ExportCertificatePem(), server.ExportCertificatePem(), serverKey.ExportPkcs8PrivateKeyPem());
    }
}
