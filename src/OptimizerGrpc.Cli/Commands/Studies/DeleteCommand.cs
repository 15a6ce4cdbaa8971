using System.CommandLine;
using OptimizerGrpc.Client;

namespace OptimizerGrpc.Cli.Commands.Studies;

/// <summary>
/// <c>optimizer delete ID [--yes]</c>: deletes a study and everything stored for it. Asks first on a terminal; without a
/// terminal to ask on (a script, a pipe) it refuses unless --yes, so a stray line cannot delete a study.
/// </summary>
internal static class DeleteCommand
{
    public static Command Create()
    {
        var id = Parsers.StudyId();
        var yes = new Option<bool>("--yes", "-y") { Description = "Delete without asking (required when standard input is not a terminal)" };
        var json = Parsers.Json();
        var command = new Verb(
            "delete",
            "Delete a study and everything stored for it (trials, events, results). Asks for confirmation on a terminal.",
            "delete <ID> [--yes] [--json] [--server ADDRESS]")
        {
            id, yes, json,
        };
        var connection = ServerConnection.AddTo(command);
        command.SetAction((parse, ct) => connection.RunAsync(parse, client => DeleteAsync(client, parse.GetValue(id)!, parse.GetValue(yes), parse.GetValue(json), ct), ct));
        return command;
    }

    private static async Task<int> DeleteAsync(OptimizerClient client, string studyId, bool yes, bool json, CancellationToken ct)
    {
        if (!yes)
        {
            if (Console.IsInputRedirected)
            {
                throw new UsageException($"delete: standard input is not a terminal, so there is no one to ask: add --yes to delete study '{studyId}'");
            }

            var study = await client.GetStudyAsync(studyId, ct); // NOT_FOUND before asking about a study that is not there
            await Console.Error.WriteAsync(
                $"Delete study '{studyId}' ({study.Spec.DisplayName}, {Formats.Lower(study.State)}, {study.Counts.Finished} finished trials) and everything stored for it? [y/N] ");
            string answer = (Console.ReadLine() ?? "").Trim();
            if (!answer.Equals("y", StringComparison.OrdinalIgnoreCase) && !answer.Equals("yes", StringComparison.OrdinalIgnoreCase))
            {
                await Console.Error.WriteLineAsync("optimizer: not deleted");
                return ExitCodes.Failed;
            }
        }

        await client.DeleteStudyAsync(studyId, ct);
        if (json)
        {
            JsonOutput.Write(new DeletedJson(studyId, Deleted: true));
        }
        else
        {
            Console.WriteLine($"study {studyId}: deleted");
        }

        return ExitCodes.Ok;
    }
}

/// <summary><c>delete --json</c>.</summary>
internal sealed record DeletedJson(string StudyId, bool Deleted);
