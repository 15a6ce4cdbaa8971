using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace OptimizerGrpc.Server.Security;

/// <summary>
/// Registers authentication and authorization: one policy scheme that picks, per request, the API key handler
/// (<c>x-api-key</c>), the JWT bearer handler (<c>authorization: Bearer</c>) or the dashboard's session cookie; the
/// policies of <see cref="Policies"/>; and the handler of <see cref="StudyRights"/>. Without keys or tokens configured
/// only authorization is registered, and every requirement succeeds.
/// </summary>
internal static class SecurityRegistration
{
    public const string SelectorScheme = "optimizer";

    public static IServiceCollection AddOptimizerSecurity(this IServiceCollection services, SecurityOptions security)
    {
        bool enabled = security.AuthenticationEnabled;
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<IAuthorizationHandler, StudyAccessHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, GrpcAuthorizationResultHandler>();
        services.AddSingleton<StudyAccess>();
        services.AddAuthorization(o => Policies.Add(o, enabled));
        if (!enabled)
        {
            services.AddAuthentication();
            return services;
        }

        // Session cookies are encrypted with keys that live as long as the process: a restart signs browsers out,
        // and nothing is written to disk.
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        var auth = services.AddAuthentication(SelectorScheme)
            .AddPolicyScheme(SelectorScheme, "API key, bearer token or dashboard session", o => o.ForwardDefaultSelector = http => Select(http, security))
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(DashboardSession.Scheme, DashboardSession.Configure);
        if (security.Jwt is { } jwt)
        {
            auth.AddJwtBearer(JwtBearerDefaults.AuthenticationScheme, o =>
            {
                o.MapInboundClaims = false;
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = jwt.Issuer,
                    ValidAudience = jwt.Audience,
                    IssuerSigningKey = JwtSigningKeys.Load(jwt.KeyFile),
                    NameClaimType = CallerClaims.Name,
                    RoleClaimType = CallerClaims.Role,
                    ClockSkew = TimeSpan.FromMinutes(1),
                };
                o.Events = new JwtBearerEvents
                {
                    OnAuthenticationFailed = context =>
                    {
                        context.HttpContext.Items[ApiKeyAuthenticationHandler.FailureItem] = "the bearer token is not valid: " + context.Exception.Message;
                        return Task.CompletedTask;
                    },
                    OnTokenValidated = context =>
                    {
                        if (Caller.From(context.Principal!, authenticationEnabled: true) is null)
                        {
                            context.HttpContext.Items[ApiKeyAuthenticationHandler.FailureItem] = "the bearer token needs a 'sub' and a known 'role'";
                            context.Fail("the token needs a 'sub' of 1 to 64 letters, digits, '.', '_', '@' or '-', and a 'role' of admin, researcher, worker or viewer");
                        }

                        return Task.CompletedTask;
                    },
                };
            });
        }

        return services;
    }

    private static string Select(HttpContext http, SecurityOptions security)
    {
        if (http.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName))
        {
            return ApiKeyAuthenticationHandler.SchemeName;
        }

        if (security.Jwt is not null && http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return JwtBearerDefaults.AuthenticationScheme;
        }

        return http.Request.Cookies.ContainsKey(DashboardSession.CookieName) ? DashboardSession.Scheme : ApiKeyAuthenticationHandler.SchemeName;
    }
}
