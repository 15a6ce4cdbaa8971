using System.CommandLine;
using OptimizerGrpc.Client;

namespace OptimizerGrpc.Cli.Commands.Studies;

/// <summary><c>optimizer studies [--state S]</c>: the studies on a server, newest first: state, progress, best, age.</summary>
internal static class StudiesCommand
{
    public static Command Create()
    {
        var state = Parsers.States("--state", "Only studies in these states (comma-separated or repeated)",
            StudyState.Created, StudyState.Running, StudyState.Paused, StudyState.Completed, StudyState.Stopped, StudyState.Failed);
        var json = Parsers.Json();
        var command = new Verb(
            "studies",
            "List the studies on a running server, newest first: state, trials finished of planned, best score, age.",
            "studies [--state S[,S...]] [--json] [--server ADDRESS]")
        {
            state, json,
        };
        var connection = ServerConnection.AddTo(command);
        command.SetAction((parse, ct) => connection.RunAsync(parse, client => ListAsync(client, parse.GetValue(state) ?? [], parse.GetValue(json), ct), ct));
        return command;
    }

    private static async Task<int> ListAsync(OptimizerClient client, StudyState[] states, bool json, CancellationToken ct)
    {
        var studies = new List<StudyInfo>();
        await foreach (var study in client.ListStudiesAsync(states, cancellationToken: ct))
        {
            studies.Add(study);
        }

        if (json)
        {
            JsonOutput.Write(studies.Select(StudyJson.Of).ToList());
            return ExitCodes.Ok;
        }

        if (studies.Count == 0)
        {
            Console.WriteLine(states.Length == 0 ? "no studies" : $"no studies {string.Join(" or ", states.Select(Formats.Lower))}");
            return ExitCodes.Ok;
        }

        var now = TimeProvider.System.GetUtcNow();
        var table = Terminal.Table("ID", "NAME", "STATE", "TRIALS", "BEST", "AGE");
        foreach (var s in studies)
        {
            table.Row(s.StudyId, s.Spec.DisplayName, Formats.Lower(s.State), Formats.Progress(s.Counts, Formats.PlannedTrials(s)),
                Formats.Best(s.BestTrial), Formats.Age(s.CreateTime, now));
        }

        Terminal.Create().Write(table);
        return ExitCodes.Ok;
    }
}
