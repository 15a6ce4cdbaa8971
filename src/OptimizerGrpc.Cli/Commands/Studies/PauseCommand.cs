using System.CommandLine;

namespace OptimizerGrpc.Cli.Commands.Studies;

/// <summary><c>optimizer pause ID</c>: the study hands out no trials until resumed; running trials may still report.</summary>
internal static class PauseCommand
{
    public static Command Create() => StudyControl.Create(
        "pause",
        "Pause a study: it hands out no more trials until resumed; trials already running may still report.",
        "pause <ID> [--json] [--server ADDRESS]",
        (client, id, _, ct) => client.PauseStudyAsync(id, ct));
}
