using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

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
        var api = app.MapGroup("/api");
        api.MapGet("/studies", async (DashboardQueries q, HttpContext http) => Json(new { studies = await q.StudiesAsync(http.RequestAborted) }));
        api.MapGet("/studies/{id}", (string id, DashboardQueries q) => AnswerAsync(async () => Json(q.Detail(await q.FindAsync(id)))));
        api.MapGet("/studies/{id}/history", (string id, string? stage, string? points, DashboardQueries q, HttpContext http) => AnswerAsync(async () =>
            Json(await q.HistoryAsync(await q.FindAsync(id), stage, Points(points), http.RequestAborted))));
        api.MapGet("/studies/{id}/analysis", (string id, DashboardQueries q, HttpContext http) => AnswerAsync(async () =>
            Results.Text(await q.AnalysisAsync(await q.FindAsync(id), http.RequestAborted), "application/json")));
        api.MapGet("/studies/{id}/trials", (string id, DashboardQueries q, HttpContext http) => AnswerAsync(async () =>
        {
            var runtime = await q.FindAsync(id);
            var r = http.Request.Query;
            var query = TrialTableQuery.Parse(runtime.Plan, r["stage"], r["state"], r["sort"], r["desc"], r["offset"], r["limit"], r["filter"]);
            return Json(await q.TrialsAsync(runtime, query, http.RequestAborted));
        }));
        api.MapGet("/studies/{id}/equity", (string id, string? stage, string? top, DashboardQueries q, HttpContext http) => AnswerAsync(async () =>
            Json(await q.EquityAsync(await q.FindAsync(id), stage, Top(top), http.RequestAborted))));
        api.MapGet("/studies/{id}/report", (string id, DashboardQueries q, StudyReportBuilder reports, HttpContext http) => AnswerAsync(async () =>
        {
            var runtime = await q.FindAsync(id);
            string html = await reports.BuildAsync(runtime, http.RequestAborted);
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"{runtime.StudyId}-report.html\"";
            return Results.Text(html, "text/html; charset=utf-8");
        }));
        api.MapGet("/events", (DashboardEvents events, HttpContext http) => events.ListAsync(http));
        api.MapGet("/studies/{id}/events", async (string id, string? after, DashboardQueries q, DashboardEvents events, HttpContext http) =>
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
        app.MapGet("/", (HttpContext http) => Asset(http, "index.html"));
        app.MapGet("/{**path}", (string path, HttpContext http) => Asset(http, path));
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
