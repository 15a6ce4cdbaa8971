using System.Text.Json;

// The command writes to the process-wide Console, so the tests of this assembly run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace OptimizerGrpc.Cli.Tests;

/// <summary>Runs the `optimizer` entry point in this process with captured output, in a temporary folder.</summary>
internal sealed class CliRun : IDisposable
{
    private static readonly Lock ConsoleGate = new();

    public CliRun() => Directory.CreateDirectory(Folder);

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), $"optimizer-cli-tests-{Guid.NewGuid():N}");

    public string Output => Path.Combine(Folder, "result.json");

    public static string RepositoryFile(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine([dir.FullName, .. parts]);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{Path.Combine(parts)} not found above {AppContext.BaseDirectory}");
    }

    public async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        TextWriter originalOut, originalError;
        lock (ConsoleGate)
        {
            (originalOut, originalError) = (Console.Out, Console.Error);
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }

        try
        {
            var code = await CommandLine.RunAsync(args);
            return (code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            lock (ConsoleGate)
            {
                Console.SetOut(originalOut);
                Console.SetError(originalError);
            }
        }
    }

    public JsonElement ReadOutput() => JsonDocument.Parse(File.ReadAllText(Output)).RootElement;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans the temporary folder.
        }
    }
}
