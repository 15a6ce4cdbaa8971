using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using Grpc.Health.V1;
using Grpc.Net.Client;
using OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.EndToEnd.Tests.Security;

/// <summary>The dashboard's routes and event streams behind the same keys, over HTTPS, as a browser uses them (cookies).</summary>
public sealed class DashboardSessionTests
{
    private static HttpClient Browser(SecureServer server, CookieContainer cookies)
    {
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(server.CaFile));
        var handler = new SocketsHttpHandler { CookieContainer = cookies };
        handler.SslOptions.CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck, CustomTrustStore = { ca } };
        return new HttpClient(handler) { BaseAddress = server.DashboardUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    [Fact(Timeout = 60_000)]
    public async Task SignIn_GivesACookieThatOpensTheApiAndTheEventStream_ForWhatTheKeyMaySee()
    {
        await using var server = await SecureServer.StartAsync();
        Assert.Equal("https", server.DashboardUrl.Scheme);
        await using (var alice = server.Client(SecureServer.Alice))
        {
            await alice.Raw.CreateStudyAsync(new CreateStudyRequest { StudyId = "alpha", Spec = Reliability.Harness.Grid(2) });
        }

        using var browser = Browser(server, new CookieContainer());
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode); // the page itself holds no data
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/studies")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/studies/alpha/events")).StatusCode);
        var session = await browser.GetFromJsonAsync<SessionJson>("/api/session");
        Assert.True(session!.Required);
        Assert.False(session.SignedIn);

        var refused = await browser.PostAsJsonAsync("/api/session", new { key = "wrong-key-0000000000" });
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var signedIn = await browser.PostAsJsonAsync("/api/session", new { key = SecureServer.Viewer });
        signedIn.EnsureSuccessStatusCode();
        Assert.Contains("HttpOnly", string.Join(";", signedIn.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", string.Join(";", signedIn.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(("watcher", "viewer"), await browser.GetFromJsonAsync<SessionJson>("/api/session") is { } s ? (s.Name, s.Role) : default);

        Assert.Contains("\"alpha\"", await browser.GetStringAsync("/api/studies"), StringComparison.Ordinal);
        using (var events = await browser.GetAsync("/api/studies/alpha/events?after=0", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, events.StatusCode);
            Assert.Equal("text/event-stream", events.Content.Headers.ContentType?.MediaType);
            using var reader = new StreamReader(await events.Content.ReadAsStreamAsync());
            string? line;
            do
            {
                line = await reader.ReadLineAsync();
            }
            while (line is not null && !line.StartsWith("event:", StringComparison.Ordinal));
            Assert.NotNull(line);
        }

        // Signed out: closed again.
        (await browser.DeleteAsync("/api/session")).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/studies")).StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task AnotherResearchersSession_SeesNoneOfAlicesStudies()
    {
        await using var server = await SecureServer.StartAsync();
        await using (var alice = server.Client(SecureServer.Alice))
        {
            await alice.Raw.CreateStudyAsync(new CreateStudyRequest { StudyId = "alpha", Spec = Reliability.Harness.Grid(2) });
        }

        using var bob = Browser(server, new CookieContainer());
        (await bob.PostAsJsonAsync("/api/session", new { key = SecureServer.Bob })).EnsureSuccessStatusCode();
        Assert.DoesNotContain("alpha", await bob.GetStringAsync("/api/studies"), StringComparison.Ordinal);
        var detail = await bob.GetAsync("/api/studies/alpha");
        Assert.Equal(HttpStatusCode.Forbidden, detail.StatusCode);
        using var error = System.Text.Json.JsonDocument.Parse(await detail.Content.ReadAsStringAsync());
        Assert.Contains("belongs to 'alice'", error.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.GetAsync("/api/studies/alpha/events")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.GetAsync("/api/studies/alpha/report")).StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task Health_AnswersWithoutCredentials()
    {
        await using var server = await SecureServer.StartAsync();
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(server.CaFile));
        var handler = new SocketsHttpHandler();
        handler.SslOptions.CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck, CustomTrustStore = { ca } };
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { HttpHandler = handler });
        var reply = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }

#pragma warning disable CA1812 // made by the JSON reader
    private sealed record SessionJson(bool Required, bool SignedIn, string Name, string Role);
#pragma warning restore CA1812
}
