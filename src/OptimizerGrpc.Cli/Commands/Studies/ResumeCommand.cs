using System.CommandLine;

namespace OptimizerGrpc.Cli.Commands.Studies;

/// <summary><c>optimizer resume ID</c>: a paused study hands out trials again.</summary>
internal static class ResumeCommand
{
    public static Command Create() => StudyControl.Create(
        "resume",
        "Resume a paused study: it hands out trials again.",
        "resume <ID> [--json] [--server ADDRESS]",
        (client, id, _, ct) => client.ResumeStudyAsync(id, ct));
}
