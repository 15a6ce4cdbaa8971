using System.Text;
using System.Text.RegularExpressions;
using OptimizerGrpc.Server.Engine;

namespace OptimizerGrpc.Server.Api.Dashboard;

/// <summary>
/// A study's self-contained report: the dashboard page with its styles and scripts inlined and every response the page
/// reads for the study inlined as <c>window.OPTIMIZER_REPORT</c>, keyed by request path, so it opens offline and
/// shows the same views (frozen at the time of the report, with no event stream).
/// </summary>
internal sealed partial class StudyReportBuilder(DashboardQueries queries)
{
    /// <summary>Trials per stage in the report's table and parallel coordinates (the best by score).</summary>
    public const int TableRows = 500;

    public async Task<string> BuildAsync(StudyRuntime runtime, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        string id = Uri.EscapeDataString(runtime.StudyId);
        var detail = queries.Detail(runtime);
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["initialStudy"] = runtime.StudyId,
            ["/api/studies"] = new { studies = new[] { detail.Study } },
            [$"/api/studies/{id}"] = detail,
        };
        foreach (var stage in detail.Stages)
        {
            data[$"/api/studies/{id}/history?stage={stage.Id}"] = await queries.HistoryAsync(runtime, stage.Id, DashboardQueries.DefaultHistoryPoints, ct).ConfigureAwait(false);
            var table = TrialTableQuery.Parse(runtime.Plan, stage.Id, null, "score", "true", null, TableRows.ToString(System.Globalization.CultureInfo.InvariantCulture), null);
            data[$"/api/studies/{id}/trials?stage={stage.Id}&sort=score&desc=true&limit={TableRows}"] = await queries.TrialsAsync(runtime, table, ct).ConfigureAwait(false);
            data[$"/api/studies/{id}/equity?stage={stage.Id}&top=5"] = await queries.EquityAsync(runtime, stage.Id, 5, ct).ConfigureAwait(false);
        }

        string analysis = await queries.AnalysisAsync(runtime, ct).ConfigureAwait(false);
        string json = DashboardJson.Serialize(data);
        // The analysis is already JSON: splice it in as the last member.
        json = json[..^1] + $",\"/api/studies/{id}/analysis\":{analysis}}}";
        return Inline(json);
    }

    /// <summary>The page with its local stylesheet and scripts inlined and the report data before the first script.</summary>
    public static string Inline(string reportJson)
    {
        ArgumentNullException.ThrowIfNull(reportJson);
        string html = DashboardAssets.Text("index.html");
        html = StylesheetLink().Replace(html, m => $"<style>\n{DashboardAssets.Text(m.Groups["href"].Value)}\n</style>");
        bool first = true;
        html = ScriptTag().Replace(html, m =>
        {
            var script = new StringBuilder();
            if (first)
            {
                // "</" cannot appear inside a script element: the JSON escapes it.
                script.Append("<script>window.OPTIMIZER_REPORT = ").Append(reportJson.Replace("</", "<\\/", StringComparison.Ordinal)).Append(";</script>\n");
                first = false;
            }

            string code = DashboardAssets.Text(m.Groups["src"].Value).Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
            return script.Append("<script>\n").Append(code).Append("\n</script>").ToString();
        });
        return html;
    }

    [GeneratedRegex("""<link[^>]*href="(?<href>[^":]+\.css)"[^>]*>""")]
    private static partial Regex StylesheetLink();

    [GeneratedRegex("""<script[^>]*src="(?<src>[^":]+)"[^>]*>\s*</script>""")]
    private static partial Regex ScriptTag();
}
