using System.CommandLine;

namespace OptimizerGrpc.Cli.Commands.Setup;

/// <summary>
/// <c>optimizer completion bash|zsh</c>: a shell function that asks the program itself for completions through
/// System.CommandLine's <c>[suggest:POSITION]</c> directive, so commands, options and their values (states, formats,
/// roles) complete without a separate tool. <c>source &lt;(optimizer completion bash)</c> enables it.
/// </summary>
internal static class CompletionCommand
{
    public static Command Create()
    {
        var shell = new Argument<string>("SHELL") { Description = "bash or zsh" };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        var command = new Verb(
            "completion",
            "Print the shell code that completes optimizer's commands, options and values: source <(optimizer completion bash).",
            "completion bash|zsh")
        {
            shell,
        };
        command.Notes = """
            bash: add 'source <(optimizer completion bash)' to ~/.bashrc.
            zsh:  add 'source <(optimizer completion zsh)' to ~/.zshrc.
            'optimizer' must be on the PATH (dotnet publish, or a wrapper script running 'dotnet optimizer.dll "$@"').
            """;
        command.SetAction(parse =>
        {
            Console.Out.Write(parse.GetValue(shell) == "zsh" ? Zsh : Bash);
            return ExitCodes.Ok;
        });
        return command;
    }

    private const string Bash = """
        # optimizer: bash completion (source <(optimizer completion bash))
        _optimizer_complete() {
            local IFS=$'\n'
            COMPREPLY=( $(compgen -W "$(optimizer "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}") )
        }
        complete -o default -F _optimizer_complete optimizer

        """;

    private const string Zsh = """
        # optimizer: zsh completion (source <(optimizer completion zsh))
        _optimizer_complete() {
            local -a completions
            completions=("${(@f)$(optimizer "[suggest:${#BUFFER}]" "$BUFFER" 2>/dev/null)}")
            compadd -a completions
        }
        compdef _optimizer_complete optimizer

        """;
}
