using Spectre.Console;
using Spectre.Console.Rendering;

namespace OptimizerGrpc.Cli.Output;

/// <summary>
/// Spectre.Console over the current <see cref="Console.Out"/> (made per command, so a test's captured writer is used).
/// On a terminal: colours and rounded tables. Redirected (a pipe, a file, a test): no escape codes, borderless tables
/// 200 columns wide so rows never wrap, which keeps them readable by grep and awk.
/// </summary>
internal static class Terminal
{
    public static bool IsInteractive => !Console.IsOutputRedirected;

    public static IAnsiConsole Create()
    {
        bool tty = IsInteractive;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Out),
            Ansi = tty ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = tty ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = tty ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!tty)
        {
            console.Profile.Width = 200;
        }

        return console;
    }

    public static Table Table(params string[] headers)
    {
        var table = new Table { Border = IsInteractive ? TableBorder.Rounded : TableBorder.None };
        foreach (string header in headers)
        {
            table.AddColumn(new TableColumn(new Text(header)) { NoWrap = !IsInteractive });
        }

        return table;
    }

    /// <summary>Cells as plain text: study names and parameter values may hold '[' that markup would read.</summary>
    public static Table Row(this Table table, params string[] cells)
    {
        table.AddRow(cells.Select(c => (IRenderable)new Text(c)).ToArray());
        return table;
    }
}
