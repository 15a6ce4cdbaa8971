using System.CommandLine;

namespace OptimizerGrpc.Cli.Commands.Studies;

/// <summary><c>optimizer stop ID [--reason TEXT]</c>: ends a study for good (STOPPED); results of running trials are kept.</summary>
internal static class StopCommand
{
    private static readonly Option<string?> Reason = new("--reason") { Description = "Why, kept as the study's state reason", HelpName = "TEXT" };

    public static Command Create() => StudyControl.Create(
        "stop",
        "Stop a study for good (STOPPED): it hands out no more trials; results of trials already running are still accepted.",
        "stop <ID> [--reason TEXT] [--json] [--server ADDRESS]",
        (client, id, parse, ct) => client.StopStudyAsync(id, parse.GetValue(Reason), ct),
        Reason);
}
