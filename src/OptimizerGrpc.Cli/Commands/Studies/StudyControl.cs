using System.CommandLine;
using OptimizerGrpc.Client;

namespace OptimizerGrpc.Cli.Commands.Studies;

/// <summary>What pause, resume and stop share: a study id, --json, one call that returns the study, one line printed.</summary>
internal static class StudyControl
{
    public static Verb Create(
        string name, string description, string synopsis, Func<OptimizerClient, string, ParseResult, CancellationToken, Task<StudyInfo>> call,
        params Option[] extra)
    {
        var id = Parsers.StudyId();
        var json = Parsers.Json();
        var command = new Verb(name, description, synopsis) { id, json };
        foreach (var option in extra)
        {
            command.Add(option);
        }

        var connection = ServerConnection.AddTo(command);
        command.SetAction((parse, ct) => connection.RunAsync(parse, async client =>
        {
            var study = await call(client, parse.GetValue(id)!, parse, ct);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(StudyJson.Of(study));
            }
            else
            {
                Console.WriteLine($"study {study.StudyId}: {Formats.Lower(study.State)}{(study.StateReason.Length > 0 ? $" ({study.StateReason})" : "")}");
            }

            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
