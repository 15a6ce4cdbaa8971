using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OptimizerGrpc.Server.Security;

/// <summary>
/// The dashboard's sign-in: a browser cannot put an API key on an EventSource, so the page posts the key once to
/// <c>/api/session</c> and receives an encrypted, HttpOnly, SameSite=Strict session cookie that every later request and
/// event stream carries. The session ends after 12 idle hours, on sign-out, on a server restart, or when its key is
/// revoked from the keys file.
/// </summary>
internal static class DashboardSession
{
    public const string Scheme = "DashboardSession";
    public const string CookieName = "optimizer.session";

    /// <summary>Largest sign-in body read (a key is far shorter).</summary>
    private const int MaxBody = 4096;

    public static void Configure(CookieAuthenticationOptions o)
    {
        o.Cookie.Name = CookieName;
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Strict;
        o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.ExpireTimeSpan = TimeSpan.FromHours(12);
        o.SlidingExpiration = true;
        // An API, not a site with a login page: answer 401/403 instead of redirecting.
        o.Events.OnRedirectToLogin = c => Status(c.Response, StatusCodes.Status401Unauthorized);
        o.Events.OnRedirectToAccessDenied = c => Status(c.Response, StatusCodes.Status403Forbidden);
        o.Events.OnValidatePrincipal = c =>
        {
            string? id = c.Principal?.FindFirst(CallerClaims.Name)?.Value;
            if (id is null || !c.HttpContext.RequestServices.GetRequiredService<ApiKeyStore>().HasId(id))
            {
                c.RejectPrincipal();
            }

            return Task.CompletedTask;
        };
    }

    /// <summary>GET (who am I, is sign-in needed), POST (sign in with a key), DELETE (sign out) on /api/session.</summary>
    public static void MapSession(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/session", (HttpContext http, IOptions<ServerOptions> options) =>
        {
            bool required = options.Value.Security.AuthenticationEnabled;
            var caller = Caller.From(http.User, required);
            return Results.Json(new { required, signedIn = caller is not null, name = caller?.Name ?? "", role = caller?.Role ?? "" });
        }).AllowAnonymous();
        app.MapPost("/api/session", SignInAsync).AllowAnonymous();
        app.MapDelete("/api/session", async (HttpContext http) =>
        {
            if (http.RequestServices.GetService<IAuthenticationSchemeProvider>() is { } schemes && await schemes.GetSchemeAsync(Scheme) is not null)
            {
                await http.SignOutAsync(Scheme);
            }

            return Results.NoContent();
        }).AllowAnonymous();
    }

    private static async Task<IResult> SignInAsync(HttpContext http, IOptions<ServerOptions> options, ApiKeyStore keys)
    {
        if (!options.Value.Security.AuthenticationEnabled)
        {
            return Results.Json(new { error = "this server does not ask for credentials" }, statusCode: StatusCodes.Status400BadRequest);
        }

        string? presented = null;
        var buffer = new byte[MaxBody + 1];
        int read = 0, n;
        while (read < buffer.Length && (n = await http.Request.Body.ReadAsync(buffer.AsMemory(read), http.RequestAborted)) > 0)
        {
            read += n;
        }

        if (read is > 0 and <= MaxBody)
        {
            try
            {
                using var body = JsonDocument.Parse(buffer.AsMemory(0, read));
                presented = body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("key", out var k) && k.ValueKind == JsonValueKind.String
                    ? k.GetString()
                    : null;
            }
            catch (JsonException)
            {
                presented = null;
            }
        }

        if (presented is null)
        {
            return Results.Json(new { error = "send {\"key\": \"...\"} as JSON (at most 4 KB)" }, statusCode: StatusCodes.Status400BadRequest);
        }

        if (keys.Find(presented) is not { } key)
        {
            return Results.Json(new { error = "the API key is not valid" }, statusCode: StatusCodes.Status401Unauthorized);
        }

        await http.SignInAsync(Scheme, CallerClaims.For(key, Scheme));
        return Results.Json(new { required = true, signedIn = true, name = key.Id, role = key.Role });
    }

    private static Task Status(HttpResponse response, int status)
    {
        response.StatusCode = status;
        return Task.CompletedTask;
    }
}
