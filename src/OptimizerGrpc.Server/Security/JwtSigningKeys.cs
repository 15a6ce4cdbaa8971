using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace OptimizerGrpc.Server.Security;

/// <summary>
/// The key bearer tokens are checked with, from a file: a PEM public key (RSA for RS256, EC for ES256; the issuer keeps
/// the private key) or, otherwise, the file's bytes as an HS256 shared secret of at least 32 bytes (RFC 7518 §3.2 asks
/// for a key at least as long as the hash).
/// </summary>
public static class JwtSigningKeys
{
    public const int MinSecretBytes = 32;

    // The key object owns the algorithm instance and lives as long as the server; neither is disposed.
#pragma warning disable CA2000
    public static SecurityKey Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text = File.ReadAllText(path);
        if (text.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            if (text.Contains("PRIVATE KEY", StringComparison.Ordinal))
            {
                throw new FormatException($"{path} holds a private key; give the server the public key only");
            }

            try
            {
                var rsa = RSA.Create();
                rsa.ImportFromPem(text);
                return new RsaSecurityKey(rsa);
            }
            catch (ArgumentException)
            {
                var ec = ECDsa.Create();
                ec.ImportFromPem(text);
                return new ECDsaSecurityKey(ec);
            }
        }

        byte[] secret = Encoding.UTF8.GetBytes(text.Trim());
        return secret.Length >= MinSecretBytes
            ? new SymmetricSecurityKey(secret)
            : throw new FormatException($"{path}: a shared secret must be at least {MinSecretBytes} bytes, got {secret.Length}");
    }
#pragma warning restore CA2000
}
