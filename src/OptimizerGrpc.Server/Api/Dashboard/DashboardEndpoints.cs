using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OptimizerGrpc.Server.Security;

namespace OptimizerGrpc.Server.Api.Dashboard;

/// <summary>
/// The dashboard over HTTP/1.1 (docs/dashboard-api.md): the embedded page, its JSON read models, its server-sent
/// event streams and the report. Routes sit in the same ASP.NET Core pipeline as the gRPC service, so the
/// authentication of the API protects them by policy.
/// </summary>
public static class DashboardEndpoints
{
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddSingleton<ThroughputTracker>();
        services.AddSingleton<StudyTrialsCache>();
        services.AddSingleton<DashboardQueries>();
        services.AddSingleton<DashboardEvents>();
        services.AddSingleton<StudyReportBuilder>();
        return services;
    }

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Every route reads: the Read policy on the group, and on /studies/{id}/... the caller must also be allowed to read that study.
        var api = app.MapGroup("/api").RequireAuthorization(Policies.Read);
        api.MapGet("/studies", async (DashboardQueries q, StudyAccess access, HttpContext http) =>
            Json(new { studies = await q.StudiesAsync(e => access.CanSee(http.User, e), http.RequestAborted) }));
        api.MapGet("/events", (DashboardEvents events, HttpContext http) => events.ListAsync(http));
        var study = api.MapGroup("/studies/{id}").AddEndpointFilter(RequireStudyReadAsync);
        study.MapGet("", (string id, DashboardQueries q) => AnswerAsync(async () => Json(q.Detail(await q.FindAsync(id)))));
        study.MapGet("/history", (string id, string? stage, string? points, DashboardQueries q, HttpContext http) => AnswerAsync(async () =>
            Json(await q.HistoryAsync(await q.FindAsync(id), stage, Points(points), http.RequestAborted))));
        study.MapGet("/analysis", (string id, DashboardQueries q, HttpContext http) => AnswerAsync(async () =>
            Results.Text(await q.AnalysisAsync(await q.FindAsync(id), http.RequestAborted), "application/json")));
        study.MapGet("/trials", (string id, DashboardQueries q, HttpContext http) => AnswerAsync(async () =>
        {
            var runtime = await q.FindAsync(id);
            var r = http.Request.Query;
            var query = TrialTableQuery.Parse(runtime.Plan, r["stage"], r["state"], r["sort"], r["desc"], r["offset"], r["limit"], r["filter"]);
            return Json(await q.TrialsAsync(runtime, query, http.RequestAborted));
        }));
        study.MapGet("/equity", (string id, string? stage, string? top, DashboardQueries q, HttpContext http) => AnswerAsync(async () =>
            Json(await q.EquityAsync(await q.FindAsync(id), stage, Top(top), http.RequestAborted))));
        study.MapGet("/report", (string id, DashboardQueries q, StudyReportBuilder reports, HttpContext http) => AnswerAsync(async () =>
        {
            var runtime = await q.FindAsync(id);
            string html = await reports.BuildAsync(runtime, http.RequestAborted);
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"{runtime.StudyId}-report.html\"";
            return Results.Text(html, "text/html; charset=utf-8");
        }));
        study.MapGet("/events", async (string id, string? after, DashboardQueries q, DashboardEvents events, HttpContext http) =>
        {
            var runtime = q.Registry.Contains(id) ? await q.Registry.GetAsync(id) : null;
            if (runtime is null)
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                await http.Response.WriteAsJsonAsync(new ErrorJson($"No study '{DashboardQueries.Clip(id)}' on this server"), DashboardJson.Options);
                return;
            }

            // A reconnecting EventSource resumes from the last id it saw; a new page from its ?after (default: now).
            string? resume = http.Request.Headers["Last-Event-ID"].FirstOrDefault() ?? after;
            long from = long.TryParse(resume, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long s) ? s : runtime.LastSequence;
            await events.StudyAsync(http, runtime, from);
        });
        api.MapGet("/{**rest}", (string? rest) => Results.Json(new ErrorJson($"no API path '/api/{DashboardQueries.Clip(rest ?? "")}'"), DashboardJson.Options, statusCode: 404));
        // The page itself is public (it holds no data) so it can show the sign-in form.
        app.MapGet("/", (HttpContext http) => Asset(http, "index.html")).AllowAnonymous();
        app.MapGet("/{**path}", (string path, HttpContext http) => Asset(http, path)).AllowAnonymous();
        return app;
    }

    private static IResult Asset(HttpContext http, string path)
    {
        if (!DashboardAssets.TryGet(path, out var asset))
        {
            return Results.NotFound();
        }

        if (http.Request.Headers.IfNoneMatch == asset.ETag)
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        http.Response.Headers.ETag = asset.ETag;
        http.Response.Headers.CacheControl = "no-cache";
        return Results.Bytes(asset.Content, asset.ContentType);
    }

    /// <summary>403 with the reason when the caller may not read the study of the route (404s are left to the route).</summary>
    private static async ValueTask<object?> RequireStudyReadAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var access = http.RequestServices.GetRequiredService<StudyAccess>();
        var registry = http.RequestServices.GetRequiredService<Engine.StudyRegistry>();
        if (access.Enabled && http.Request.RouteValues["id"] is string id && registry.Contains(id))
        {
            var entry = registry.Find(id);
            try
            {
                await access.RequireAsync(http.User, StudyOperation.Read, entry.StudyId, entry.Owner);
            }
            catch (Engine.StudyAccessDeniedException e)
            {
                return Results.Json(new ErrorJson(e.Message), DashboardJson.Options, statusCode: StatusCodes.Status403Forbidden);
            }
        }

        return await next(context);
    }

    private static IResult Json<T>(T value) => Results.Text(DashboardJson.Serialize(value), "application/json");

    private static async Task<IResult> AnswerAsync(Func<Task<IResult>> answer)
    {
        try
        {
            return await answer();
        }
        catch (DashboardQueryException e)
        {
            return Refused(e);
        }
    }

    private static IResult Refused(DashboardQueryException e) =>
        Results.Json(new ErrorJson(e.Message), DashboardJson.Options, statusCode: e.NotFound ? 404 : 400);

    private static int Points(string? text) => Bounded(text, "points", DashboardQueries.DefaultHistoryPoints, 4, DashboardQueries.MaxHistoryPoints);

    private static int Top(string? text) => Bounded(text, "top", Engine.EquityKeeper.KeptPerStage, 1, Engine.EquityKeeper.KeptPerStage);

    private static int Bounded(string? text, string name, int fallback, int min, int max) =>
        string.IsNullOrEmpty(text) ? fallback
        : int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int v) && v >= min && v <= max ? v
        : throw new DashboardQueryException($"{name} must be an integer from {min} to {max}");
}
