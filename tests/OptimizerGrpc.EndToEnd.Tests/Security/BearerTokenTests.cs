using System.Security.Claims;
using System.Text;
using Grpc.Core;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.EndToEnd.Tests.Security;

/// <summary>Bearer tokens (JWT, HS256) as the second scheme beside API keys.</summary>
public sealed class BearerTokenTests
{
    private static string Token(string sub, string role, string issuer = "https://id.example", string audience = "optimizer", string secret = SecureServer.JwtSecret, TimeSpan? life = null)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", sub), new Claim("role", role)]),
            NotBefore = now.AddMinutes(-10),
            IssuedAt = now.AddMinutes(-10),
            Expires = now + (life ?? TimeSpan.FromMinutes(10)),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), SecurityAlgorithms.HmacSha256),
        });
    }

    [Fact(Timeout = 60_000)]
    public async Task ValidToken_ActsAsItsSubjectAndRole_BadOnesAreUnauthenticated()
    {
        await using var server = await SecureServer.StartAsync(jwt: true);
        await using var carol = server.Client(apiKey: null, token: Token("carol", "researcher"));
        var created = await carol.Raw.CreateStudyAsync(new CreateStudyRequest { StudyId = "gamma", Spec = Reliability.Harness.Grid(2) });
        Assert.Equal("carol", created.Study.Owner);

        await using var viewer = server.Client(apiKey: null, token: Token("dave", "viewer"));
        var denied = await Assert.ThrowsAsync<RpcException>(() => viewer.Raw.StopStudyAsync(new StopStudyRequest { StudyId = "gamma" }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);

        foreach (var bad in new[]
                 {
                     Token("carol", "researcher", secret: "another-secret-of-at-least-32-bytes-000000"),
                     Token("carol", "researcher", issuer: "https://evil.example"),
                     Token("carol", "researcher", audience: "something-else"),
                     Token("carol", "researcher", life: TimeSpan.FromMinutes(-5)),
                     Token("carol", "superuser"),
                     Token("car/ol", "researcher"),
                 })
        {
            await using var client = server.Client(apiKey: null, token: bad);
            var e = await Assert.ThrowsAsync<RpcException>(() => client.Raw.ListStudiesAsync(new ListStudiesRequest()).ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        }
    }
}
