using System.CommandLine;

namespace OptimizerGrpc.Cli.Parsing;

/// <summary>
/// A command with its one-line synopsis ("analyze &lt;STUDY_ID&gt; [--server ADDRESS] [--json FILE]"): printed under a
/// usage error, so the fix is in front of the reader, and listed in <c>optimizer --help</c>; and notes (what it prints,
/// its exit codes) at the end of its own help.
/// </summary>
internal sealed class Verb(string name, string description, string synopsis) : Command(name, description)
{
    public string Synopsis { get; } = synopsis;

    public string Notes { get; set; } = "";
}
