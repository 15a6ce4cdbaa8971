using System.CommandLine;
using System.CommandLine.Invocation;
using System.Runtime.InteropServices;
using Grpc.Core;

namespace OptimizerGrpc.Cli;

/// <summary>
/// The <c>optimizer</c> command on System.CommandLine: the command tree, per-command help, usage errors with the
/// command's synopsis (exit code 2), shell completion through the <c>[suggest]</c> directive, and SIGINT/SIGTERM as
/// a graceful stop.
/// </summary>
internal static class CommandLine
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = Build();
        var parse = root.Parse(args);
        var invocation = new InvocationConfiguration
        {
            // Read now, not when the process started: tests capture the console per call.
            Output = Console.Out,
            Error = Console.Error,
            // Exceptions are mapped to exit codes below; signals are handled here, not by System.CommandLine.
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        if (args.Length == 0)
        {
            // Nothing asked: the help, and a usage error's exit code for the script that forgot its command.
            await parse.RootCommandResult.Command.Parse(["--help"]).InvokeAsync(invocation);
            return ExitCodes.Usage;
        }

        if (parse.Action is ParseErrorAction)
        {
            // "Required command was not provided" says nothing more than an unknown command's own error beside it.
            var errors = parse.Errors.Count == 1 ? parse.Errors : parse.Errors.Where(e => e.SymbolResult is not System.CommandLine.Parsing.CommandResult).ToList();
            return await UsageErrorAsync(parse.CommandResult.Command, (errors.Count > 0 ? errors : parse.Errors).Select(e => e.Message));
        }

        using var cts = new CancellationTokenSource();
        // SIGINT (Ctrl+C) and SIGTERM (docker stop, systemd, Kubernetes) both stop gracefully: the command drains
        // and the server checkpoints. Cancelling the default action keeps the process alive until it returns.
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            cts.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        try
        {
            return await parse.InvokeAsync(invocation, cts.Token);
        }
        catch (UsageException e)
        {
            return await UsageErrorAsync(parse.CommandResult.Command, [e.Message]);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cts.IsCancellationRequested)
        {
            return ExitCodes.Ok; // Ctrl+C while a verb waited on the server: the user's stop, not a failure
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }
    }

    /// <summary>The whole tree; built per call (cheap) so options hold no state between in-process runs.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand(
            "OptimizerGrpc: the optimization server for trading strategies, its workflows, and an operator's view of the " +
            "studies on a running server.")
        {
            ServeCommand.Create(),
            RunCommand.Create(),
            DemoCommand.Create(),
            StudiesCommand.Create(),
            ShowCommand.Create(),
            WatchCommand.Create(),
            TrialsCommand.Create(),
            BestCommand.Create(),
            PauseCommand.Create(),
            ResumeCommand.Create(),
            StopCommand.Create(),
            DeleteCommand.Create(),
            AskCommand.Create(),
            TellCommand.Create(),
            AnalyzeCommand.Create(),
            ReportCommand.Create(),
            KeysCommand.Create(),
            TlsCommand.Create(),
            CompletionCommand.Create(),
        };
        HelpSections.Install(root);
        return root;
    }

    private static async Task<int> UsageErrorAsync(Command command, IEnumerable<string> messages)
    {
        foreach (string message in messages.Distinct(StringComparer.Ordinal))
        {
            await Console.Error.WriteLineAsync($"optimizer: {message}");
        }

        string path = CommandPath(command);
        await Console.Error.WriteLineAsync(command is Verb verb
            ? $"\nusage: optimizer {verb.Synopsis}\n'optimizer {path} --help' explains every option."
            : $"\nusage: optimizer {(path.Length > 0 ? path + " " : "")}<command> [options]\n'optimizer {(path.Length > 0 ? path + " " : "")}--help' lists the commands.");
        return ExitCodes.Usage;
    }

    public static string CommandPath(Command command)
    {
        var names = new List<string>();
        for (Command? c = command; c is not null and not RootCommand; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Insert(0, c.Name);
        }

        return string.Join(' ', names);
    }
}
