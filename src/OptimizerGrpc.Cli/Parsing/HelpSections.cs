using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace OptimizerGrpc.Cli.Parsing;

/// <summary>
/// System.CommandLine's help, followed by what it has no section for: in <c>optimizer --help</c> every command's
/// synopsis, the environment, the exit codes and completion; in <c>optimizer VERB --help</c> the verb's notes.
/// </summary>
internal sealed class HelpSections(HelpAction standard) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public static void Install(RootCommand root)
    {
        var option = root.Options.OfType<HelpOption>().Single();
        if (option.Action is HelpAction standard)
        {
            option.Action = new HelpSections(standard);
        }
    }

    public override int Invoke(ParseResult parseResult)
    {
        int code = standard.Invoke(parseResult);
        var output = parseResult.InvocationConfiguration.Output;
        var command = parseResult.CommandResult.Command;
        if (command is RootCommand)
        {
            output.WriteLine("Synopses:");
            foreach (var verb in Verbs(command))
            {
                output.WriteLine($"  optimizer {verb.Synopsis}");
            }

            output.WriteLine();
            output.WriteLine("  'optimizer COMMAND --help' explains a command and each of its options.");
            output.WriteLine();
            output.WriteLine("""
                Environment (commands that talk to a running server; docs/security.md):
                  OPTIMIZER_ADDRESS   the server when --server is not given (default http://127.0.0.1:50051)
                  OPTIMIZER_API_KEY   the API key when --api-key is not given (safer than the command line: others can read it)
                  OPTIMIZER_TOKEN     a bearer token (JWT), when the server takes tokens
                  OPTIMIZER_TLS_CA    the CA's PEM file when --tls-ca is not given; use an https:// address for TLS

                Exit codes:
                """);
            output.WriteLine(ExitCodes.Help);
            output.WriteLine();
            output.WriteLine("""
                Completion:
                  bash:  source <(optimizer completion bash)      (add it to ~/.bashrc)
                  zsh:   source <(optimizer completion zsh)       (add it to ~/.zshrc)
                """);
        }
        else if (command is Verb { Notes.Length: > 0 } withNotes)
        {
            output.WriteLine("Details:");
            foreach (string line in withNotes.Notes.Split('\n'))
            {
                output.WriteLine($"  {line.TrimEnd()}");
            }

            output.WriteLine();
        }

        return code;
    }

    private static IEnumerable<Verb> Verbs(Command command) =>
        command.Subcommands.SelectMany(c => c is Verb verb ? [verb] : Verbs(c));
}
