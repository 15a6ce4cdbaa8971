using System.CommandLine;
using System.Globalization;
using OptimizerGrpc.Client;

namespace OptimizerGrpc.Cli.Commands.Studies;

/// <summary>
/// <c>optimizer trials ID [--state S] [--stage ID] [--format table|csv|json] [--limit N]</c>: a study's trials in
/// number order, as a table, as CSV (one column per parameter and per value, for a spreadsheet) or as JSON.
/// </summary>
internal static class TrialsCommand
{
    public static Command Create()
    {
        var id = Parsers.StudyId();
        var state = Parsers.States("--state", "Only trials in these states (comma-separated or repeated)",
            TrialState.Pending, TrialState.Running, TrialState.Completed, TrialState.Infeasible, TrialState.Failed, TrialState.Pruned);
        var stage = new Option<string?>("--stage") { Description = "Only this stage's trials (see 'optimizer show')", HelpName = "STAGE_ID" };
        var format = Parsers.Choice("--format", "Output format", "table", "table", "csv", "json");
        var limit = Parsers.Positive("--limit", "At most N trials (the first N in number order)");
        var json = Parsers.Json();
        var command = new Verb(
            "trials",
            "List a study's trials in number order: state, attempt, objective values, parameters, reason.",
            "trials <ID> [--state S[,S...]] [--stage STAGE_ID] [--format table|csv|json] [--limit N] [--json] [--server ADDRESS]")
        {
            id, state, stage, format, limit, json,
        };
        command.Notes = "--json is --format json.";
        var connection = ServerConnection.AddTo(command);
        command.SetAction((parse, ct) => connection.RunAsync(parse, async client =>
        {
            var query = new TrialQuery(StageId: parse.GetValue(stage), States: parse.GetValue(state) ?? []);
            int max = parse.GetValue(limit) ?? int.MaxValue;
            var trials = new List<TrialInfo>();
            await foreach (var trial in client.ListTrialsAsync(parse.GetValue(id)!, query, ct))
            {
                if (trials.Count == max)
                {
                    break;
                }

                trials.Add(trial);
            }

            Print(trials, parse.GetValue(json) ? "json" : parse.GetValue(format)!);
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static void Print(List<TrialInfo> trials, string format)
    {
        switch (format)
        {
            case "json":
                JsonOutput.Write(trials.Select(TrialJson.Of).ToList());
                break;
            case "csv":
                WriteCsv(trials, Console.Out);
                break;
            default:
                if (trials.Count == 0)
                {
                    Console.WriteLine("no trials");
                    return;
                }

                var table = Terminal.Table("#", "STAGE", "STATE", "ATTEMPT", "OBJECTIVE", "PARAMS", "REASON");
                foreach (var t in trials)
                {
                    table.Row(t.Number.ToString(CultureInfo.InvariantCulture), t.StageId, Formats.Lower(t.State), t.Attempt.ToString(CultureInfo.InvariantCulture),
                        Formats.Values(t.ObjectiveValues), Formats.Params(t.Params), t.Reason);
                }

                Terminal.Create().Write(table);
                break;
        }
    }

    private static readonly string[] FixedColumns = ["number", "stage_id", "state", "attempt"];

    /// <summary>RFC 4180: a header, then a row per trial; a column per parameter and per value, empty where a trial has none.</summary>
    public static void WriteCsv(IReadOnlyList<TrialInfo> trials, TextWriter writer)
    {
        var parameters = trials.SelectMany(t => t.Params.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var values = trials.SelectMany(t => t.Values.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        writer.WriteLine(string.Join(',', FixedColumns.Concat(parameters).Concat(values).Append("reason").Select(Quote)));
        foreach (var t in trials)
        {
            var cells = new List<string>
            {
                t.Number.ToString(CultureInfo.InvariantCulture), t.StageId, Formats.Lower(t.State), t.Attempt.ToString(CultureInfo.InvariantCulture),
            };
            cells.AddRange(parameters.Select(p => t.Params.TryGetValue(p, out var v) ? v.ToString() : ""));
            cells.AddRange(values.Select(v => t.Values.TryGetValue(v, out double x) ? x.ToString("R", CultureInfo.InvariantCulture) : ""));
            cells.Add(t.Reason);
            writer.WriteLine(string.Join(',', cells.Select(Quote)));
        }
    }

    private static string Quote(string cell) =>
        cell.AsSpan().IndexOfAny(",\"\r\n") < 0 ? cell : $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
